import "server-only";
import { and, asc, desc, eq, fillPlaceholders, gt, isNull, lte, sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { areas, customers, customerSearchText } from "@/db/schema";
import { customerSummaryColumns } from "@/lib/columns";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { likePattern, toCsv, type Page } from "@/lib/lists";
import { customerListParams } from "@/lib/url-state/lists";
import { urlSearchSchema } from "@/lib/url-state/schema";
import { EXPIRING_SOON_DAYS, expiryState, type CustomerExpiryFilter } from "./expiry";
import { preparedSql, reuse } from "./prepared";

// The reseller's customer list: URL state, query shapes prepared once, the
// count-or-estimate total and the CSV export. Expiry words live in ./expiry.

/**
 * The customer table's URL state: paging, sort, search and filters (lib/url-state/lists:
 * the same parsers write it in the browser). Bad values fall back to defaults.
 */
export const customerSearchSchema = urlSearchSchema(customerListParams);
export type CustomerSearch = z.output<typeof customerSearchSchema>;

/** Parses URL search params (or any partial object) into a complete search. */
export function parseCustomerSearch(params: Record<string, unknown> = {}): CustomerSearch {
  return customerSearchSchema.parse(params);
}

/** The search expression of the trigram index `customers_search_trgm_idx` (one definition, in the schema). */
const searchText = customerSearchText(customers);

/** The SQL twin of expiryState (./expiry): customers whose service is in that state now. */
export function expiryCondition(expiry: CustomerExpiryFilter): SQL {
  switch (expiry) {
    case "active":
      return gt(customers.expiresAt, sql`now()`);
    case "expiring":
      return and(gt(customers.expiresAt, sql`now()`), lte(customers.expiresAt, sql`now() + interval '${sql.raw(String(EXPIRING_SOON_DAYS))} days'`))!;
    case "expired":
      return lte(customers.expiresAt, sql`now()`);
    case "never":
      return isNull(customers.expiresAt);
  }
}

/** Values are bound at execution: each query shape is built and prepared once (see ./prepared). */
const P = {
  resellerId: sql.placeholder("resellerId"),
  q: sql.placeholder("q"),
  area: sql.placeholder("area"),
  limit: sql.placeholder("limit"),
  offset: sql.placeholder("offset"),
};
type ListValues = ReturnType<typeof valuesOf>;
/** Placeholders (for a prepared shape) or the values themselves (for a one-off query). */
type Bind = typeof P | ListValues;

type ListFilters = Omit<CustomerSearch, "page" | "perPage" | "sort">;
const dialect = new PgDialect();

/** Every condition starts with the reseller: no caller can list another reseller's customers. */
function customerWhere(search: ListFilters, bind: Bind = P): SQL {
  return and(
    eq(customers.resellerId, bind.resellerId),
    search.q ? sql`${searchText} ilike ${bind.q}` : undefined,
    search.area ? eq(customers.areaId, bind.area!) : undefined,
    // A literal, not a parameter, so a cached generic plan can still use the partial index on suspended customers.
    search.status ? sql`${customers.status} = ${sql.raw(`'${search.status}'`)}` : undefined,
    search.expiry ? expiryCondition(search.expiry) : undefined,
  )!;
}

/** Which prepared statements a search needs: one per combination of filters present and sort. */
function shapeOf(search: ListFilters & { sort?: CustomerSearch["sort"] }): string {
  const sort = search.sort ? `${search.sort.column}.${search.sort.direction}` : "-";
  return `${sort}|q${search.q ? 1 : 0}|a${search.area ? 1 : 0}|s${search.status ?? ""}|e${search.expiry ?? ""}`;
}

function valuesOf(resellerId: string, search: ListFilters, limit = 0, offset = 0) {
  return { resellerId, q: search.q ? likePattern(search.q) : null, area: search.area ?? null, limit, offset };
}

const sortColumn = {
  name: customers.name,
  username: customers.username,
  createdAt: customers.createdAt,
  expiresAt: customers.expiresAt,
} as const;

/**
 * Each sort matches an index on (reseller_id, column, id), so a filtered page
 * reads only the rows it shows (plus the offset).
 *
 * A text search sorts by the same values written as an expression the sort
 * indexes do not cover (`name || ''` orders exactly like `name`). The planner
 * then finds the matches first — through the trigram index when the pattern
 * is selective — and sorts them, instead of walking the whole name index
 * hoping to meet 25 matches early, which it picks whenever its sampled
 * statistics happen to overrate a pattern (40 ms instead of 0.5 ms at 100,000
 * customers). A search matching most customers costs a scan and a top-N sort.
 */
function customerOrder(sort: CustomerSearch["sort"], searching: boolean) {
  const dir = sort.direction === "asc" ? asc : desc;
  const column = sortColumn[sort.column];
  if (!searching) return [dir(column), dir(customers.id)];
  const unindexed = sort.column === "name" || sort.column === "username" ? sql`${column} || ''` : sql`${column} + interval '0 seconds'`;
  return [dir(unindexed), dir(customers.id)];
}

const listColumns = {
  ...customerSummaryColumns,
  createdAt: customers.createdAt,
  areaId: customers.areaId,
};

export type CustomerListRow = {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  status: "active" | "suspended";
  expiresAt: Date | null;
  createdAt: Date;
  areaId: string;
  areaName: string;
  /** Where the customer stands today: active, expiring within 7 days, expired or never activated. */
  expiry: CustomerExpiryFilter;
};


/**
 * The page query: the page is cut on the sort index first, then area names
 * are joined (so the offset skips index entries, not joins).
 */
function pageSelect(db: Queryable, search: CustomerSearch, bind: Bind) {
  const page = db
    .select({
      ...listColumns,
      // A search reads and sorts all its matches anyway, so it counts them in the same pass.
      matches: search.q ? sql<number>`(count(*) over ())::int`.as("matches") : sql<number | null>`null::int`.as("matches"),
    })
    .from(customers)
    .where(customerWhere(search, bind))
    .orderBy(...customerOrder(search.sort, Boolean(search.q)))
    .limit(bind.limit)
    .offset(bind.offset)
    .as("page");
  const dir = search.sort.direction === "asc" ? asc : desc;
  return db
    .select({
      id: page.id,
      username: page.username,
      name: page.name,
      phone: page.phone,
      status: page.status,
      expiresAt: page.expiresAt,
      createdAt: page.createdAt,
      areaId: page.areaId,
      areaName: areas.name,
      matches: page.matches,
    })
    .from(page)
    .innerJoin(areas, eq(areas.id, page.areaId))
    .orderBy(dir(page[search.sort.column]), dir(page.id));
}

/**
 * Filter-only shapes run as prepared statements. A text search runs as a
 * one-off statement instead, planned with its pattern: a prepared statement's
 * cached generic plan cannot tell "4417" (a handful of rows, read through the
 * trigram index) from "a" (most rows), and may walk the whole sort index.
 */
function pageQuery(db: Queryable, search: CustomerSearch) {
  if (search.q) return { execute: (values: ListValues) => pageSelect(db, search, values) };
  return reuse(db, `portal_customers_page|${shapeOf(search)}`, () => pageSelect(db, search, P).prepare("portal_customers_page"));
}

/**
 * When the planner estimates fewer rows than this, the list is counted
 * exactly (by a count that stops at COUNT_CAP rows); otherwise the total
 * shown is the estimate, flagged `totalIsEstimate`.
 */
export const EXACT_COUNT_BELOW = 1_000;
const COUNT_CAP = 10_000;

/**
 * The list's total in one round trip (lastmile_count_or_estimate, migrations
 * 0006/0007): the planner's estimate, or an exact count capped at COUNT_CAP when
 * the estimate is under EXACT_COUNT_BELOW.
 */
async function countOrEstimate(db: Queryable, resellerId: string, search: ListFilters): Promise<{ total: number; estimated: boolean }> {
  const { sql: text, params } = reuse(db, `portal_customers_total_text|${shapeOf(search)}`, () =>
    dialect.sqlToQuery(sql`select 1 from ${customers} where ${customerWhere(search)}`),
  );
  const query = preparedSql<{ total: bigint | string; estimated: boolean }>(
    db,
    "portal_customers_total",
    () => sql`select total, estimated from lastmile_count_or_estimate(${sql.placeholder("text")}::text, ${EXACT_COUNT_BELOW}::int, ${COUNT_CAP}::int, ${sql.placeholder("args")}::text[])`,
  );
  const args = fillPlaceholders(params, valuesOf(resellerId, search)).map((v) => (v === null || v === undefined ? null : String(v)));
  const [row] = await query.execute({ text, args });
  return { total: Number(row?.total ?? 0), estimated: row?.estimated ?? false };
}

export type CustomerPage = Page<CustomerListRow> & {
  /** True when `total` is the planner's estimate (large lists); false when it was counted. */
  totalIsEstimate: boolean;
};

/**
 * The reseller's own customers, one page. Search (name, username, phone),
 * filters (area, status, expiry) and sort all run in SQL on indexes that
 * start with the reseller id. The total is exact when the page reaches the
 * end of the list, for a text search (its matches are counted as they are
 * sorted), or when the planner expects fewer than EXACT_COUNT_BELOW rows
 * (then they are counted); otherwise it is the planner's estimate
 * (`totalIsEstimate`), so no page view counts 100,000 rows. A page past an
 * overestimated end comes back short or empty.
 */
export async function listCustomers(db: Queryable, resellerId: string, search: CustomerSearch): Promise<CustomerPage> {
  if (!isUuid(resellerId)) return { rows: [], total: 0, pageCount: 0, totalIsEstimate: false };
  const offset = (search.page - 1) * search.perPage;
  const values = valuesOf(resellerId, search, search.perPage + 1, offset);
  // A search counts its matches in the page query itself; otherwise the total
  // (estimate, or count when small) is fetched alongside the page.
  const [fetched, counted] = await Promise.all([
    pageQuery(db, search).execute(values),
    search.q ? null : countOrEstimate(db, resellerId, search),
  ]);
  const hasMore = fetched.length > search.perPage;
  const now = new Date();
  const rows = fetched.slice(0, search.perPage).map(({ matches: _matches, ...r }) => ({ ...r, expiry: expiryState(r.expiresAt, now) }));

  let total: number;
  let totalIsEstimate = false;
  if (!hasMore && (rows.length > 0 || offset === 0)) {
    total = offset + rows.length; // this page is the last one: the total is known
  } else if (fetched[0]?.matches != null) {
    total = fetched[0].matches;
  } else if (!counted) {
    // A search paged past its end: no row carried the count.
    const late = await countOrEstimate(db, resellerId, search);
    totalIsEstimate = late.estimated;
    total = late.estimated ? Math.min(late.total, offset) : late.total;
  } else if (!counted.estimated) {
    total = counted.total;
  } else {
    totalIsEstimate = true;
    // An estimate is never below what this page proves, nor past an empty page.
    total = rows.length > 0 ? Math.max(counted.total, offset + rows.length + (hasMore ? 1 : 0)) : Math.min(counted.total, offset);
  }
  return { rows, total, pageCount: Math.ceil(total / search.perPage), totalIsEstimate };
}

/** Most rows one CSV export returns. */
export const CUSTOMER_EXPORT_LIMIT = 250_000;

/** The same list as CSV (every page, same filters and order), up to CUSTOMER_EXPORT_LIMIT rows. */
export async function customersCsv(db: Queryable, resellerId: string, search: CustomerSearch): Promise<string> {
  const rows = isUuid(resellerId) ? await pageQuery(db, search).execute(valuesOf(resellerId, search, CUSTOMER_EXPORT_LIMIT, 0)) : [];
  const now = new Date();
  return toCsv(
    ["username", "name", "phone", "area", "status", "expires_at", "expiry", "created_at"],
    rows.map((r) => [r.username, r.name, r.phone, r.areaName, r.status, r.expiresAt?.toISOString(), expiryState(r.expiresAt, now), r.createdAt.toISOString()]),
  );
}

export type CustomerCursorPage = { rows: CustomerListRow[]; hasMore: boolean; nextCursor: string | null };

/**
 * The same list for the API: newest first, cut by a cursor (the last id of
 * the previous page) instead of an offset, on the (reseller, created_at, id)
 * index, so page 4,000 costs what page 1 does. The cursor is looked up within
 * the reseller: another reseller's id is VALIDATION_FAILED, like a bad one.
 */
export async function listCustomersAfter(
  db: Queryable,
  resellerId: string,
  given: { q?: string; area?: string; status?: "active" | "suspended"; expiry?: CustomerExpiryFilter },
  page: { limit: number; startingAfter?: string },
): Promise<CustomerCursorPage> {
  const filters = given as ListFilters;
  if (!isUuid(resellerId)) return { rows: [], hasMore: false, nextCursor: null };
  const values = valuesOf(resellerId, filters, page.limit + 1);
  let after: SQL | undefined;
  if (page.startingAfter !== undefined) {
    const [cursor] = isUuid(page.startingAfter)
      ? await db
          .select({ createdAt: customers.createdAt, id: customers.id })
          .from(customers)
          .where(and(eq(customers.id, page.startingAfter), eq(customers.resellerId, resellerId)))
      : [];
    if (!cursor) throw new DomainError("VALIDATION_FAILED", "starting_after: not a customer of this list.", { starting_after: "Not a customer of this list." });
    after = sql`(${customers.createdAt}, ${customers.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`;
  }
  const fetched = await db
    .select({ ...listColumns, areaName: areas.name })
    .from(customers)
    .innerJoin(areas, eq(areas.id, customers.areaId))
    .where(and(customerWhere(filters, values), after))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(page.limit + 1);
  const now = new Date();
  const rows = fetched.slice(0, page.limit).map((r) => ({ ...r, expiry: expiryState(r.expiresAt, now) }));
  const hasMore = fetched.length > page.limit;
  return { rows, hasMore, nextCursor: hasMore ? rows[rows.length - 1]!.id : null };
}
