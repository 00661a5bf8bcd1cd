import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { OnlineSessionsTable } from "@/components/network/online-sessions-table";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { listOpenSessions, parseOnlineSessionSearch } from "@/lib/radius/sessions";
import { requireReseller } from "@/app/_server/session";

export const metadata: Metadata = { title: "Online now" };

export default async function PortalOnlineNowPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireReseller("customers.view");
  // The scope comes from the session: the list holds this reseller's customers' sessions only, whatever the URL says.
  const page = await listOpenSessions(getDb(), { role: "reseller", resellerId: user.resellerId }, parseOnlineSessionSearch(await searchParams));
  return (
    <div>
      <PageHeader title="Online now" description="Your customers' open sessions, as the routers report them." />
      <TableToolbar list="onlineSessions" searchPlaceholder="Customer, username or address" />
      <OnlineSessionsTable rows={page.rows} area="portal" />
      <Pager list="onlineSessions" pageCount={page.pageCount} total={page.total} totalIsAtLeast={page.totalIsAtLeast} />
    </div>
  );
}
