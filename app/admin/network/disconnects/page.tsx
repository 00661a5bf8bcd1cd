import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { recentDisconnects } from "@/lib/radius/sessions";
import { requireAdmin } from "@/app/_server/session";
import { DisconnectsTable } from "@/components/network/disconnects-table";

export const metadata: Metadata = { title: "Disconnects" };

export default async function DisconnectsPage() {
  await requireAdmin();
  const rows = await recentDisconnects(getDb(), { role: "admin" }, { limit: 100 });
  return (
    <div>
      <PageHeader title="Disconnects" description="Disconnect and CoA requests sent to the routers (RFC 5176), newest first: each is retried on NAK or timeout up to five times." />
      <Card><CardContent className="relative overflow-x-auto pt-4"><DisconnectsTable rows={rows} showCustomer /></CardContent></Card>
    </div>
  );
}
