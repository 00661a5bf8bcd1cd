"use client";

import Link from "next/link";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { CsvLink, DateRangeFilter, FilterSelect } from "@/components/data-table/toolbar";
import { useListState } from "@/components/data-table/url-state";
import { buttonVariants } from "@/components/ui/button";
import { DateText } from "@/components/ui/date-text";
import { ledgerKindLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import type { StatementRow } from "@/lib/statement";

function describe(row: StatementRow) {
  const parts = [row.note, row.customerUsername ? `customer ${row.customerUsername}` : null, row.externalReference ? `ref ${row.externalReference}` : null];
  return parts.filter(Boolean).join(" · ") || "—";
}

function makeColumns(currency: string, reverseBase?: string) {
  const helper = columnHelper<StatementRow>();
  const money = (v: bigint) => formatMoney(v, currency);
  return [
    helper.accessor("createdAt", { header: "Date", enableSorting: false, cell: (c) => <DateText value={c.getValue()} format="dateTime" /> }),
    helper.accessor("id", { header: "Entry", enableSorting: false, cell: (c) => `#${c.getValue()}` }),
    helper.accessor("kind", {
      header: "Kind",
      enableSorting: false,
      cell: (c) => (
        <span>
          {ledgerKindLabels[c.getValue()]}
          {c.row.original.reversesEntryId && <span className="ml-1 text-xs text-slate-500">of #{c.row.original.reversesEntryId}</span>}
          {c.row.original.reversedByEntryId && <span className="ml-1 rounded bg-amber-100 px-1 text-xs text-amber-800">reversed by #{c.row.original.reversedByEntryId}</span>}
        </span>
      ),
    }),
    helper.display({ id: "description", header: "Description", cell: (c) => <span className="block max-w-52 truncate 2xl:max-w-sm" title={describe(c.row.original)}>{describe(c.row.original)}</span> }),
    helper.display({ id: "credit", header: "Credit", meta: { align: "right" }, cell: (c) => (c.row.original.amount > 0n ? money(c.row.original.amount) : "") }),
    helper.display({ id: "debit", header: "Debit", meta: { align: "right" }, cell: (c) => (c.row.original.amount < 0n ? money(-c.row.original.amount) : "") }),
    helper.accessor("balanceAfter", { header: "Balance", enableSorting: false, meta: { align: "right" }, cell: (c) => money(c.getValue()) }),
    ...(reverseBase
      ? [
          helper.display({
            id: "actions",
            header: "",
            cell: (c) =>
              c.row.original.kind !== "reversal" && !c.row.original.reversedByEntryId ? (
                <Link className="text-sm text-brand-700 hover:underline" href={`${reverseBase}/${c.row.original.id}/reverse`}>
                  Reverse
                </Link>
              ) : null,
          }),
        ]
      : []),
  ];
}

export function StatementTable({ rows, currency, reverseBase }: { rows: StatementRow[]; currency: string; reverseBase?: string }) {
  return <DataTable columns={makeColumns(currency, reverseBase)} rows={rows} rowKey={(r) => String(r.id)} caption="Statement" empty="No entries in this range." />;
}

const kindOptions = Object.entries(ledgerKindLabels).map(([value, label]) => ({ value, label }));

/** Date range and kind: the statement's URL parameters (lib/url-state/lists); the database filters. */
export function StatementFilters({ csvHref }: { csvHref: string }) {
  return (
    <div className="mb-3 flex flex-wrap items-end gap-3">
      <DateRangeFilter list="statement" />
      <FilterSelect list="statement" filter={{ name: "kinds", label: "Kind", options: kindOptions }} allLabel="All kinds" className="w-48" />
      <CsvLink list="statement" href={csvHref} />
    </div>
  );
}

/** Keyset pager: newest, newer, older, oldest. */
export function StatementPager({ newerCursor, olderCursor, hasNewer, hasOlder }: { newerCursor: number | null; olderCursor: number | null; hasNewer: boolean; hasOlder: boolean }) {
  const { set } = useListState("statement");
  const go = (direction: "first" | "prev" | "next" | "last", cursor: number | null) => set({ direction, cursor }, { keepPosition: true });
  const button = buttonVariants({ variant: "secondary", size: "sm" });
  return (
    <nav aria-label="Statement pages" className="mt-3 flex justify-end gap-2">
      <button type="button" className={button} disabled={!hasNewer} onClick={() => go("first", null)}>Newest</button>
      <button type="button" className={button} disabled={!hasNewer} onClick={() => go("prev", newerCursor)}>Newer</button>
      <button type="button" className={button} disabled={!hasOlder} onClick={() => go("next", olderCursor)}>Older</button>
      <button type="button" className={button} disabled={!hasOlder} onClick={() => go("last", null)}>Oldest</button>
    </nav>
  );
}
