import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { getEntry } from "@/lib/ledger";
import { ledgerKindLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";
import { ReverseEntryForm } from "@/app/admin/resellers/money-forms";

export const metadata: Metadata = { title: "Reverse entry" };

export default async function ReverseEntryPage({ params }: { params: Promise<{ id: string; entryId: string }> }) {
  await requireAdmin();
  const { id, entryId } = await params;
  const { entry, reseller, reversedBy } = await orNotFound(getEntry(getDb(), Number(entryId), id));
  const statement = `/admin/resellers/${reseller.id}/statement`;
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title={`Reverse entry #${entry.id}`} description={`${reseller.name} · a linked opposite entry corrects it; the original stays in the ledger.`} />
      <Card>
        <CardHeader>
          <CardTitle>The entry</CardTitle>
        </CardHeader>
        <CardContent>
          <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
            <div><dt className="text-slate-500">Kind</dt><dd className="font-medium">{ledgerKindLabels[entry.kind]}</dd></div>
            <div><dt className="text-slate-500">Amount</dt><dd className="font-medium tabular-nums">{formatMoney(entry.amount, reseller.currency)}</dd></div>
            <div><dt className="text-slate-500">Posted</dt><dd><DateText value={entry.createdAt} format="dateTime" /></dd></div>
            <div><dt className="text-slate-500">Note</dt><dd>{entry.note ?? "—"}</dd></div>
          </dl>
        </CardContent>
      </Card>
      <Card>
        <CardContent className="pt-5">
          {entry.kind === "reversal" ? (
            <p className="text-sm text-slate-600">A reversal cannot itself be reversed. Post a new entry instead.</p>
          ) : (
            <ReverseEntryForm reversedBy={reversedBy} entryId={entry.id} currency={reseller.currency} resellerName={reseller.name} idempotencyKey={randomUUID()} statementHref={statement} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
