import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { auditActions, auditSearchSchema, listAudit } from "@/lib/audit-log";
import { resellerOptions } from "@/lib/customer-directory";
import { requireAdmin } from "@/app/_server/session";
import { AuditTable } from "./audit-table";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const search = auditSearchSchema.parse(await searchParams);
  const [page, actions, resellers] = await Promise.all([listAudit(getDb(), search), auditActions(getDb()), resellerOptions(getDb())]);
  return (
    <div>
      <PageHeader title="Audit log" description="Who did what and when: sign-ins, money, settings. It cannot be edited." />
      <TableToolbar list="audit"
        dateRange
        searchPlaceholder="Search who (email)"
        csvHref="/admin/audit/export"
        filters={[
          { name: "action", label: "Action", options: actions.map((a) => ({ value: a, label: a })) },
          { name: "reseller", label: "Reseller", options: resellers },
        ]}
      />
      <AuditTable rows={page.rows} />
      <Pager list="audit" pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
