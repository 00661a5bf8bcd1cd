import "server-only";
import { and, asc, desc, eq, gt, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { csvLines } from "./csv";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { customers, ledgerEntries, ledgerKind, resellers, type LedgerKind } from "@/db/schema";
import { entrySummaryColumns } from "./columns";
import { installTimeZone } from "./config";
import { dayStartIn, isTimeZone } from "./dates";
import { DomainError } from "./errors";
import { isUuid } from "./ids";
import { ledgerKindLabels } from "@/lib/vocabulary";
import { statementDirections, statementParams } from "./url-state/lists";
import { urlSearchSchema } from "./url-state/schema";
import { toDecimalString } from "./money";
import { reuse } from "./portal/prepared";

/**
 * A reseller's statement: its ledger, newest first, with the running balance
 * stored on every entry (balance_after), filtered by date range and kind,
 * with totals for the range. Shared by the admin console and the portal.
 *
 * Paging is keyset on ledger_entries.id (index ledger_entries_reseller_id_idx),
 * so the first, next, previous and last pages cost the same at 1,000,000
 * entries. Totals come from ledger_daily_totals (kept by a trigger on
 * ledger_entries): running totals per kind and UTC day, so any range is two
 * index probes per kind, plus at most two partial days read from the ledger
 * when the range's days do not start at UTC midnight.
 */

/** An IANA time zone name for interpreting calendar days; missing or unknown is the install's zone. */
export const timeZoneSchema = z
  .string()
  .optional()
  .transform((v) => (v && isTimeZone(v) ? v : installTimeZone()))
  .catch(() => installTimeZone());

const utcDay = (instant: Date) => instant.toISOString().slice(0, 10);
const isUtcMidnight = (instant: Date) => instant.getTime() % 86_400_000 === 0;
const utcDayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const nextUtcDay = (instant: Date) => utcDay(new Date(Math.floor(instant.getTime() / 86_400_000) * 86_400_000 + 86_400_000));

// ---------------------------------------------------------------------------
// Search
// ---------------------------------------------------------------------------

type StatementDirection = (typeof statementDirections)[number];
const allLedgerKinds = ledgerKind.enumValues;

/**
 * The statement's URL state (lib/url-state/lists: the same parsers write it in
 * the browser). `kinds` accepts an array or a comma-separated string; `cursor`
 * is an entry id from the previous page (olderCursor for "next", newerCursor
 * for "prev"); `from`/`to` are inclusive days in `timeZone` (server-side only:
 * the install's zone unless a caller names another).
 */
export const statementSearchSchema = urlSearchSchema(statementParams, { timeZone: timeZoneSchema });
export type StatementSearch = z.output<typeof statementSearchSchema>;
/** What a URL (or a caller) may give: strings, or repeated strings for `kinds`. */
export type StatementSearchInput = { [K in keyof typeof statementParams | "timeZone"]?: string | string[] };

export function parseStatementSearch(params: Record<string, unknown> = {}): StatementSearch {
  return statementSearchSchema.parse(params);
}

type Range = { lo: Date | null; hi: Date | null };
function rangeOf(search: Pick<StatementSearch, "from" | "to" | "timeZone">): Range {
  return {
    lo: search.from ? dayStartIn(search.from, search.timeZone) : null,
    hi: search.to ? dayStartIn(search.to, search.timeZone, 1) : null,
  };
}

/** Values are bound at execution; each query shape is built and prepared once (lib/portal/prepared). */
const P = {
  resellerId: sql.placeholder("resellerId"),
  lo: sql.placeholder("lo"),
  hi: sql.placeholder("hi"),
  cursor: sql.placeholder("cursor"),
  limit: sql.placeholder("limit"),
  d1: sql.placeholder("d1"),
  d2: sql.placeholder("d2"),
  span0Start: sql.placeholder("span0Start"),
  span0End: sql.placeholder("span0End"),
  span1Start: sql.placeholder("span1Start"),
  span1End: sql.placeholder("span1End"),
};

/** Kinds are a fixed enum, written as literals so the planner sees which kinds (and the shape names them). */
const kindList = (kinds: readonly LedgerKind[]) => sql.raw(kinds.map((k) => `'${k}'`).join(", "));

type Filter = { kinds?: readonly LedgerKind[]; lo: boolean; hi: boolean };

function filterOf(filter: Filter): SQL {
  return and(
    eq(ledgerEntries.resellerId, P.resellerId),
    filter.kinds ? sql`${ledgerEntries.kind} in (${kindList(filter.kinds)})` : undefined,
    filter.lo ? sql`${ledgerEntries.createdAt} >= ${P.lo}::timestamptz` : undefined,
    filter.hi ? sql`${ledgerEntries.createdAt} < ${P.hi}::timestamptz` : undefined,
  )!;
}
const filterKey = (filter: Filter) => `k${filter.kinds?.join("+") ?? "*"}|lo${filter.lo ? 1 : 0}|hi${filter.hi ? 1 : 0}`;

// ---------------------------------------------------------------------------
// Rows
// ---------------------------------------------------------------------------

const reversal = alias(ledgerEntries, "reversal");

const rowColumns = {
  ...entrySummaryColumns,
  balanceAfter: ledgerEntries.balanceAfter,
  method: ledgerEntries.method,
  source: ledgerEntries.source,
  externalReference: ledgerEntries.externalReference,
  receivedOn: ledgerEntries.receivedOn,
  actorLabel: ledgerEntries.actorLabel,
  customerId: ledgerEntries.customerId,
  customerName: customers.name,
  customerUsername: customers.username,
  subscriptionId: ledgerEntries.subscriptionId,
  paymentReference: ledgerEntries.paymentReference,
  reversesEntryId: ledgerEntries.reversesEntryId,
  reversedByEntryId: reversal.id,
};

/**
 * Where a page starts. "newest"/"oldest" start at the reseller's own newest
 * or oldest entry id (found on ledger_entries_reseller_id_idx), so the page
 * scan never wades through other resellers' newer or older entries, whichever
 * index the planner picks; "before"/"after" continue from a cursor.
 */
type Start = "newest" | "oldest" | "before" | "after";

function startCondition(start: Start): SQL {
  switch (start) {
    case "newest":
      return sql`${ledgerEntries.id} <= (select max(l2.id) from ledger_entries l2 where l2.reseller_id = ${P.resellerId})`;
    case "oldest":
      return sql`${ledgerEntries.id} >= (select min(l2.id) from ledger_entries l2 where l2.reseller_id = ${P.resellerId})`;
    case "before":
      return lt(ledgerEntries.id, P.cursor);
    case "after":
      return gt(ledgerEntries.id, P.cursor);
  }
}

function rowsQuery(db: Queryable, filter: Filter, start: Start) {
  const order = start === "newest" || start === "before" ? desc : asc;
  return reuse(db, `statement_rows|${filterKey(filter)}|${start}`, () =>
    db
      .select(rowColumns)
      .from(ledgerEntries)
      .leftJoin(customers, eq(customers.id, ledgerEntries.customerId))
      .leftJoin(reversal, eq(reversal.reversesEntryId, ledgerEntries.id))
      .where(and(filterOf(filter), startCondition(start)))
      .orderBy(order(ledgerEntries.id))
      .limit(P.limit)
      .prepare("statement_rows"),
  );
}
export type StatementRow = Awaited<ReturnType<ReturnType<typeof rowsQuery>["execute"]>>[number];

function rangeValues(range: Range) {
  return { lo: range.lo?.toISOString() ?? null, hi: range.hi?.toISOString() ?? null };
}

// ---------------------------------------------------------------------------
// Totals
// ---------------------------------------------------------------------------

export type StatementTotals = {
  /** Sum of positive amounts in the range (for the chosen kinds). */
  credits: bigint;
  /** Sum of negative amounts in the range, as a positive number. */
  debits: bigint;
  /** credits - debits. */
  net: bigint;
  entries: number;
};

type Bound = SQL | ReturnType<typeof sql.placeholder>;

const zero = sql`select 0::bigint as credits, 0::bigint as debits, 0::bigint as entries`;

/** Full UTC days [d1, d2) from ledger_daily_totals' running totals: two index probes per kind. */
function summaryPart(kinds: readonly LedgerKind[], d1: boolean, d2: boolean): SQL {
  const upTo = (bound: Bound | null, name: string) => sql`left join lateral (
      select t.cum_credits, t.cum_debits, t.cum_entries from ledger_daily_totals t
      where t.reseller_id = ${P.resellerId} and t.kind = k.kind ${bound ? sql`and t.day < ${bound}::date` : sql``}
      order by t.day desc limit 1) ${sql.raw(name)} on true`;
  const lower = d1 ? upTo(P.d1, "lo") : sql`cross join (select null::bigint as cum_credits, null::bigint as cum_debits, null::bigint as cum_entries) lo`;
  return sql`select
      coalesce(sum(coalesce(hi.cum_credits, 0) - coalesce(lo.cum_credits, 0)), 0)::bigint as credits,
      coalesce(sum(coalesce(hi.cum_debits, 0) - coalesce(lo.cum_debits, 0)), 0)::bigint as debits,
      coalesce(sum(coalesce(hi.cum_entries, 0) - coalesce(lo.cum_entries, 0)), 0)::bigint as entries
    from unnest(array[${kindList(kinds)}]::ledger_kind[]) as k(kind)
    ${upTo(d2 ? P.d2 : null, "hi")}
    ${lower}`;
}

/** Entries of partial days read straight from the ledger (index ledger_entries_reseller_created_idx). */
function edgePart(kinds: readonly LedgerKind[], spans: number): SQL {
  if (spans === 0) return zero;
  const span = (start: Bound, end: Bound) =>
    sql`(${ledgerEntries.createdAt} >= ${start}::timestamptz and ${ledgerEntries.createdAt} < ${end}::timestamptz)`;
  const within = spans === 1 ? span(P.span0Start, P.span0End) : sql`${span(P.span0Start, P.span0End)} or ${span(P.span1Start, P.span1End)}`;
  return sql`select
      coalesce(sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.amount} > 0), 0)::bigint as credits,
      coalesce(-sum(${ledgerEntries.amount}) filter (where ${ledgerEntries.amount} < 0), 0)::bigint as debits,
      count(*)::bigint as entries
    from ${ledgerEntries}
    where ${ledgerEntries.resellerId} = ${P.resellerId}
      and ${ledgerEntries.kind} in (${kindList(kinds)})
      and (${within})`;
}

/** The reseller's balance after the last entry before an instant (0 before the first entry). */
function balanceBefore(instant: Bound): SQL {
  return sql`coalesce((select l.balance_after from ledger_entries l
      where l.reseller_id = ${P.resellerId} and l.created_at < ${instant}::timestamptz
      order by l.created_at desc, l.id desc limit 1), 0)`;
}

async function totalsFor(db: Queryable, resellerId: string, kinds: readonly LedgerKind[], range: Range) {
  const { lo, hi } = range;
  // Full UTC days inside [lo, hi): [d1, d2). Null means unbounded on that side.
  const d1 = lo ? (isUtcMidnight(lo) ? utcDay(lo) : nextUtcDay(lo)) : null;
  const d2 = hi ? utcDay(hi) : null;
  const spans: [Date, Date][] = [];
  const noFullDay = lo !== null && hi !== null && d1! >= d2!;
  if (noFullDay) {
    if (lo < hi) spans.push([lo, hi]); // no whole UTC day inside: read the range itself
  } else {
    if (lo && lo.getTime() !== utcDayStart(d1!).getTime()) spans.push([lo, utcDayStart(d1!)]);
    if (hi && hi.getTime() !== utcDayStart(d2!).getTime()) spans.push([utcDayStart(d2!), hi]);
  }
  const shape = `statement_totals|${kinds.join("+")}|${noFullDay ? "none" : `d1${d1 ? 1 : 0}d2${d2 ? 1 : 0}`}|e${spans.length}|lo${lo ? 1 : 0}|hi${hi ? 1 : 0}`;
  const query = reuse(db, shape, () =>
    db
      .select({
        credits: sql<bigint>`(s.credits + e.credits)::bigint`.mapWith(BigInt),
        debits: sql<bigint>`(s.debits + e.debits)::bigint`.mapWith(BigInt),
        entries: sql<number>`(s.entries + e.entries)::int`,
        balance: sql<bigint>`${resellers.balance}`.mapWith(BigInt),
        opening: sql<bigint>`${lo ? balanceBefore(P.lo) : sql`0`}::bigint`.mapWith(BigInt),
        closing: sql<bigint>`${hi ? balanceBefore(P.hi) : resellers.balance}::bigint`.mapWith(BigInt),
      })
      .from(resellers)
      .crossJoin(sql`(${noFullDay ? zero : summaryPart(kinds, d1 !== null, d2 !== null)}) s`)
      .crossJoin(sql`(${edgePart(kinds, spans.length)}) e`)
      .where(eq(resellers.id, P.resellerId))
      .prepare("statement_totals"),
  );
  const [row] = await query.execute({
    resellerId,
    ...rangeValues(range),
    d1,
    d2,
    span0Start: spans[0]?.[0].toISOString() ?? null,
    span0End: spans[0]?.[1].toISOString() ?? null,
    span1Start: spans[1]?.[0].toISOString() ?? null,
    span1End: spans[1]?.[1].toISOString() ?? null,
  });
  if (!row) throw new DomainError("RESELLER_NOT_FOUND");
  return row;
}

// ---------------------------------------------------------------------------
// The statement
// ---------------------------------------------------------------------------

export type StatementPage = {
  /** Newest first. */
  rows: StatementRow[];
  /** Pass with direction "prev" for the newer page; null on the newest page. */
  newerCursor: number | null;
  /** Pass with direction "next" for the older page; null on the oldest page. */
  olderCursor: number | null;
  hasNewer: boolean;
  hasOlder: boolean;
  totals: StatementTotals;
  /** Balance before the range starts (0 without `from`). Whole ledger, whatever `kinds` says. */
  openingBalance: bigint;
  /** Balance at the end of the range (the current balance without `to`). */
  closingBalance: bigint;
  currentBalance: bigint;
  search: StatementSearch;
};

/**
 * One page of the reseller's statement. The reseller id scopes every query:
 * a cursor taken from another reseller's entries just pages this reseller's own.
 */
export async function statement(db: Queryable, resellerId: string, search: StatementSearch): Promise<StatementPage> {
  if (!isUuid(resellerId)) throw new DomainError("RESELLER_NOT_FOUND");
  const range = rangeOf(search);
  const filter: Filter = { kinds: search.kinds, lo: range.lo !== null, hi: range.hi !== null };
  const n = search.perPage;
  const cursor = search.cursor;
  const values = { resellerId, ...rangeValues(range), cursor: cursor ?? null, limit: n + 1 };
  let direction: StatementDirection = (search.direction === "next" || search.direction === "prev") && cursor === undefined ? "first" : search.direction;
  const start: Record<StatementDirection, Start> = { first: "newest", last: "oldest", next: "before", prev: "after" };
  const page = (d: StatementDirection) => rowsQuery(db, filter, start[d]).execute(values);

  const [fetched, totals] = await Promise.all([page(direction), totalsFor(db, resellerId, search.kinds ?? allLedgerKinds, range)]);
  let got = fetched;
  // Paging back onto the newest page: show a full first page rather than a short one.
  if (direction === "prev" && got.length <= n) {
    got = await page("first");
    direction = "first";
  }
  const more = got.length > n;
  let rows: StatementRow[];
  let hasNewer: boolean;
  let hasOlder: boolean;
  if (direction === "first" || direction === "next") {
    rows = got.slice(0, n);
    hasNewer = direction === "next";
    hasOlder = more;
  } else {
    rows = got.slice(0, n).reverse();
    hasNewer = more;
    hasOlder = direction === "prev";
  }
  if (direction === "next" && rows.length === 0) hasOlder = false;

  return {
    rows,
    newerCursor: hasNewer && rows.length ? rows[0]!.id : null,
    olderCursor: hasOlder && rows.length ? rows[rows.length - 1]!.id : null,
    hasNewer,
    hasOlder,
    totals: { credits: totals.credits, debits: totals.debits, net: totals.credits - totals.debits, entries: totals.entries },
    openingBalance: totals.opening,
    closingBalance: totals.closing,
    currentBalance: totals.balance,
    search: { ...search, direction },
  };
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

const CSV_HEADER = ["entry", "posted_at", "kind", "description", "customer", "credit", "debit", "balance_after", "currency", "method", "reference", "recorded_by", "reverses_entry"];
const CSV_CHUNK = 5_000;

/**
 * The statement for the same filters as CSV, oldest first, in chunks of
 * 5,000 entries read by keyset (any size streams in constant memory). The
 * first chunk carries the header row.
 */
export async function* statementCsvChunks(db: Queryable, resellerId: string, search: StatementSearch): AsyncGenerator<string> {
  if (!isUuid(resellerId)) throw new DomainError("RESELLER_NOT_FOUND");
  const [reseller] = await db.select({ currency: resellers.currency }).from(resellers).where(eq(resellers.id, resellerId));
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  const range = rangeOf(search);
  const query = rowsQuery(db, { kinds: search.kinds, lo: range.lo !== null, hi: range.hi !== null }, "after");
  yield csvLines([CSV_HEADER]);
  let after = 0;
  for (;;) {
    const rows = await query.execute({ resellerId, ...rangeValues(range), cursor: after, limit: CSV_CHUNK });
    if (rows.length === 0) return;
    const data = rows.map((r) => [
      r.id,
      r.createdAt.toISOString(),
      ledgerKindLabels[r.kind],
      r.note ?? "",
      r.customerUsername ?? "",
      r.amount > 0n ? toDecimalString(r.amount, reseller.currency) : "",
      r.amount < 0n ? toDecimalString(-r.amount, reseller.currency) : "",
      toDecimalString(r.balanceAfter, reseller.currency),
      reseller.currency,
      r.method ?? "",
      r.externalReference ?? r.paymentReference ?? "",
      r.actorLabel,
      r.reversesEntryId ?? "",
    ]);
    yield csvLines(data);
    if (rows.length < CSV_CHUNK) return;
    after = rows[rows.length - 1]!.id;
  }
}
