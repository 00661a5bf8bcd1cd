import type { Metadata } from "next";
import Link from "next/link";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { listResellers, resellerSearchSchema } from "@/lib/resellers";
import { requireAdmin } from "@/app/_server/session";
import { ResellerActionsMenu } from "./actions-menu";
import { ResellersTable } from "./resellers-table";

export const metadata: Metadata = { title: "Resellers/Operators" };

export default async function ResellersPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const search = resellerSearchSchema.parse(await searchParams);
  const page = await listResellers(getDb(), search);
  const actions = Object.fromEntries(page.rows.map((r) => [r.id, <ResellerActionsMenu key={r.id} resellerId={r.id} name={r.name} />]));
  return (
    <div>
      <PageHeader title="Resellers/Operators" description="Resellers & Managers · everyone who sells your packages." actions={<Link href="/admin/resellers/new" className={buttonVariants()}>New reseller</Link>} />
      <TableToolbar list="resellers"
        searchPlaceholder="Search name, contact, email, phone"
        csvHref="/admin/resellers/export"
        filters={[
          { name: "type", label: "Type", options: [{ value: "prepaid", label: "Prepaid" }, { value: "postpaid", label: "Postpaid" }] },
          { name: "status", label: "Status", options: [{ value: "active", label: "Active" }, { value: "suspended", label: "Suspended" }] },
        ]}
      />
      <ResellersTable rows={page.rows} actions={actions} />
      <Pager list="resellers" pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
