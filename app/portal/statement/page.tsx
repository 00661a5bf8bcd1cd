import type { Metadata } from "next";
import { StatementView } from "@/components/statement/statement-view";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { parseStatementSearch, statement } from "@/lib/statement";
import { requireReseller } from "@/app/_server/session";

export const metadata: Metadata = { title: "Statement" };

export default async function PortalStatementPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireReseller("finance.view");
  const page = await statement(getDb(), user.resellerId, parseStatementSearch(await searchParams));
  return (
    <div>
      <PageHeader title="Statement" description="Your transactions with the admin: charges, balance added, cash received, online payments and reversals." />
      <StatementView page={page} currency={user.reseller!.currency} csvHref="/portal/statement/export" />
    </div>
  );
}
