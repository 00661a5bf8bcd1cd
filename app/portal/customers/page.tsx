import type { Metadata } from "next";
import Link from "next/link";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { hasPermission } from "@/lib/permissions";
import { listResellerAreas } from "@/lib/areas";
import { listCustomers, parseCustomerSearch } from "@/lib/portal/customers";
import { customerExpiryLabels } from "@/lib/portal/expiry";
import { requireReseller } from "@/app/_server/session";
import { CustomersTable } from "./customers-table";

export const metadata: Metadata = { title: "Customers" };

export default async function PortalCustomersPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireReseller("customers.view");
  const search = parseCustomerSearch(await searchParams);
  const [page, areas] = await Promise.all([listCustomers(getDb(), user.resellerId, search), listResellerAreas(getDb(), user.resellerId)]);
  return (
    <div>
      <PageHeader
        title="Customers"
        description={page.totalIsEstimate ? `About ${page.total.toLocaleString("en-US")} customers` : undefined}
        actions={hasPermission(user.permissions, "customers.create") ? <Link href="/portal/customers/new" className={buttonVariants()}>New customer</Link> : undefined}
      />
      <TableToolbar list="customers"
        searchPlaceholder="Search name, username, phone"
        csvHref="/portal/customers/export"
        filters={[
          { name: "area", label: "Area", options: areas.map((a) => ({ value: a.id, label: a.name })) },
          { name: "status", label: "Status", options: [{ value: "active", label: "Active" }, { value: "suspended", label: "Suspended" }] },
          { name: "expiry", label: "Expiry", options: Object.entries(customerExpiryLabels).map(([value, label]) => ({ value, label })) },
        ]}
      />
      <CustomersTable rows={page.rows} />
      <Pager list="customers" pageCount={page.pageCount} total={page.totalIsEstimate ? undefined : page.total} />
    </div>
  );
}
