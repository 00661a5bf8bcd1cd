import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { DisconnectsTable } from "@/components/network/disconnects-table";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { disconnectOutcomeLabels, disconnectStatusLabels, optionsOf } from "@/lib/radius/labels";
import { listDisconnects, disconnectSearchSchema } from "@/lib/radius/sessions";
import { requireAdmin } from "@/app/_server/session";

export const metadata: Metadata = { title: "Disconnects" };

export default async function DisconnectsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const page = await listDisconnects(getDb(), { role: "admin" }, disconnectSearchSchema.parse(await searchParams));
  return (
    <div>
      <PageHeader title="Disconnects" description="Disconnect and CoA requests sent to the routers (RFC 5176), newest first: each is retried on NAK or timeout up to five times." />
      <TableToolbar
        list="disconnects"
        searchPlaceholder="Customer, username or router"
        filters={[
          { name: "status", label: "Status", options: optionsOf(disconnectStatusLabels) },
          { name: "outcome", label: "Last attempt", options: optionsOf(disconnectOutcomeLabels) },
        ]}
      />
      <DisconnectsTable rows={page.rows} showCustomer list />
      <Pager list="disconnects" pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
