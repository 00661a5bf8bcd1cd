import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { directorySearchSchema, listAllCustomers, resellerOptions } from "@/lib/customer-directory";
import { customerExpiryLabels } from "@/lib/portal/expiry";
import { allAreas } from "@/lib/areas";
import { requireAdmin } from "@/app/_server/session";
import { AllCustomersTable } from "./customers-table";

export const metadata: Metadata = { title: "Customers" };

export default async function AdminCustomersPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const search = directorySearchSchema.parse(await searchParams);
  const [page, resellers, areas] = await Promise.all([listAllCustomers(getDb(), search), resellerOptions(getDb()), allAreas(getDb())]);
  return (
    <div>
      <PageHeader title="Customers" description="Every reseller's customers." />
      <TableToolbar list="customerDirectory"
        searchPlaceholder="Search name, username, phone"
        csvHref="/admin/customers/export"
        filters={[
          { name: "reseller", label: "Reseller", options: resellers },
          { name: "area", label: "Area", options: areas.map((a) => ({ value: a.id, label: a.name })) },
          { name: "status", label: "Status", options: [{ value: "active", label: "Active" }, { value: "suspended", label: "Suspended" }] },
          { name: "expiry", label: "Expiry", options: Object.entries(customerExpiryLabels).map(([value, label]) => ({ value, label })) },
        ]}
      />
      <AllCustomersTable rows={page.rows} />
      <Pager list="customerDirectory" pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
