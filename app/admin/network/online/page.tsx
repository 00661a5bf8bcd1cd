import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { OnlineSessionsTable } from "@/components/network/online-sessions-table";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { resellerOptions } from "@/lib/customer-directory";
import { listOpenSessions, parseOnlineSessionSearch } from "@/lib/radius/sessions";
import { requireAdmin } from "@/app/_server/session";

export const metadata: Metadata = { title: "Online now" };

export default async function OnlineNowPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const search = parseOnlineSessionSearch(await searchParams);
  const [page, resellers] = await Promise.all([listOpenSessions(getDb(), { role: "admin" }, search), resellerOptions(getDb())]);
  return (
    <div>
      <PageHeader title="Online now" description="Open sessions as the routers report them to FreeRADIUS." />
      <TableToolbar list="onlineSessions" searchPlaceholder="Customer, username or address" filters={[{ name: "reseller", label: "Reseller", options: resellers }]} />
      <OnlineSessionsTable rows={page.rows} area="admin" />
      <Pager list="onlineSessions" pageCount={page.pageCount} total={page.total} totalIsAtLeast={page.totalIsAtLeast} />
    </div>
  );
}
