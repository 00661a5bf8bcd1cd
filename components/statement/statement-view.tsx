import { formatMoney } from "@/lib/money";
import type { StatementPage } from "@/lib/statement";
import { StatementFilters, StatementPager, StatementTable } from "./statement-table";

/** A reseller's statement: totals for the range, filters, the entries with running balance, keyset pages. */
export function StatementView({ page, currency, csvHref, reverseBase }: { page: StatementPage; currency: string; csvHref: string; reverseBase?: string }) {
  const money = (v: bigint) => formatMoney(v, currency);
  const totals = [
    { label: "Opening balance", value: money(page.openingBalance) },
    { label: "Credits", value: money(page.totals.credits), testId: "statement-credits" },
    { label: "Debits", value: money(page.totals.debits), testId: "statement-debits" },
    { label: "Net", value: money(page.totals.net) },
    { label: "Closing balance", value: money(page.closingBalance), testId: "statement-closing" },
  ];
  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-5">
        {totals.map((t) => (
          <div key={t.label}>
            <dt className="text-xs font-medium text-slate-500 uppercase">{t.label}</dt>
            <dd className="mt-1 font-semibold tabular-nums" data-testid={t.testId}>{t.value}</dd>
          </div>
        ))}
      </dl>
      <div>
        <StatementFilters csvHref={csvHref} />
        <StatementTable rows={page.rows} currency={currency} reverseBase={reverseBase} />
        <StatementPager newerCursor={page.newerCursor} olderCursor={page.olderCursor} hasNewer={page.hasNewer} hasOlder={page.hasOlder} />
        <p className="mt-1 text-xs text-slate-500">{page.totals.entries.toLocaleString("en-US")} entries in this range.</p>
      </div>
    </div>
  );
}
