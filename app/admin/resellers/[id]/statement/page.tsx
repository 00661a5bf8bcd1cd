import type { Metadata } from "next";
import { StatementView } from "@/components/statement/statement-view";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { getResellerPosition } from "@/lib/resellers";
import { parseStatementSearch, statement } from "@/lib/statement";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";
import { ResellerActionsMenu } from "@/app/admin/resellers/actions-menu";

export const metadata: Metadata = { title: "Statement" };

export default async function ResellerStatementPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const { id } = await params;
  const reseller = await orNotFound(getResellerPosition(getDb(), id));
  const page = await statement(getDb(), reseller.id, parseStatementSearch(await searchParams));
  const base = `/admin/resellers/${reseller.id}`;
  return (
    <div>
      <PageHeader title={`Statement · ${reseller.name}`} description="Every entry with the balance after it." actions={<ResellerActionsMenu resellerId={reseller.id} name={reseller.name} />} />
      <StatementView page={page} currency={reseller.currency} csvHref={`${base}/statement/export`} reverseBase={`${base}/entries`} />
    </div>
  );
}
