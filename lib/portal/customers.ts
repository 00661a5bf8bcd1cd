import { and, asc, desc, eq, fillPlaceholders, gt, isNull, lte, sql, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, Queryable } from "@/db/client";
import {
  areas,
  customerPayments,
  customers,
  customerStatus,
  packages,
  resellerAreas,
  resellerPackageRates,
  resellers,
  subscriptions,
  type Customer,
} from "@/db/schema";
import { recordAudit } from "../audit";
import { assertActsFor, type Actor } from "../billing/actor";
import { runMoneyCommand } from "../billing/idempotency";
import { assertCanCharge, canCharge } from "../billing/rules";
import { customerPaymentColumns, customerSummaryColumns } from "../columns";
import { isUniqueViolation } from "../db-errors";
import { DomainError, isDomainError, type ActionError } from "../errors";
import { zIdempotencyKey, zOptionalText } from "../forms";
import { isUuid } from "../ids";
import { likePattern, optionalSearch, pagingSchema, sortSchema, toCsv, type Page } from "../lists";
import { outstandingOf } from "../money";
import { preparedSql, reuse } from "./prepared";

const DAY_MS = 86_400_000;
/** "Expiring soon" means within this many days from now. */
export const EXPIRING_SOON_DAYS = 7;

// ---------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------

export const customerSortColumns = ["name", "username", "createdAt", "expiresAt"] as const;
export const customerExpiryFilters = ["active", "expiring", "expired", "never"] as const;
export type CustomerExpiryFilter = (typeof customerExpiryFilters)[number];

export const customerExpiryLabels: Record<CustomerExpiryFilter, string> = {
  active: "Active",
  expiring: `Expiring in ${EXPIRING_SOON_DAYS} days`,
  expired: "Expired",
  never: "Never activated",
};

/** The customer table's URL state: paging, sort, search and filters. Bad values fall back to defaults. */
export const customerSearchSchema = pagingSchema.extend({
  sort: sortSchema(customerSortColumns, "name.asc"),
  q: optionalSearch,
  area: z.string().uuid().optional().catch(undefined),
  status: z.enum(customerStatus.enumValues).optional().catch(undefined),
  expiry: z.enum(customerExpiryFilters).optional().catch(undefined),
});
export type CustomerSearch = z.output<typeof customerSearchSchema>;

/** Parses URL search params (or any partial object) into a complete search. */
export function parseCustomerSearch(params: Record<string, unknown> = {}): CustomerSearch {
  return customerSearchSchema.parse(params);
}

/** The search expression the trigram index `customers_search_trgm_idx` is built on. */
const searchText = sql`(${customers.name} || ' ' || ${customers.username} || ' ' || coalesce(${customers.phone}, ''))`;

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

export function expiryState(expiresAt: Date | null, now = new Date()): CustomerExpiryFilter {
  if (!expiresAt) return "never";
  if (expiresAt <= now) return "expired";
  return expiresAt.getTime() - now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS ? "expiring" : "active";
}

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

/** The areas this reseller serves (for the area filter and the customer form). */
export async function listResellerAreas(db: Queryable, resellerId: string) {
  if (!isUuid(resellerId)) return [];
  return db
    .select({ id: areas.id, name: areas.name })
    .from(resellerAreas)
    .innerJoin(areas, eq(areas.id, resellerAreas.areaId))
    .where(eq(resellerAreas.resellerId, resellerId))
    .orderBy(asc(areas.name));
}

// ---------------------------------------------------------------------------
// One customer
// ---------------------------------------------------------------------------

/** The customer row, only if it belongs to this reseller. */
async function findOwnCustomer(db: Queryable, resellerId: string, customerId: string, forUpdate = false): Promise<Customer> {
  if (!isUuid(resellerId) || !isUuid(customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  const query = db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId)));
  const [customer] = forUpdate ? await query.for("update") : await query;
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
  return customer;
}

/**
 * One of the reseller's customers with its area, subscriptions (package,
 * period, price charged; newest first) and the payments collected from it.
 * Another reseller's customer is CUSTOMER_NOT_FOUND.
 */
export async function getCustomer(db: Queryable, resellerId: string, customerId: string) {
  if (!isUuid(resellerId) || !isUuid(customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  const [[row], subs, payments] = await Promise.all([
    db
      .select({ customer: customers, areaName: areas.name })
      .from(customers)
      .innerJoin(areas, eq(areas.id, customers.areaId))
      .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId))),
    db
      .select({
        id: subscriptions.id,
        kind: subscriptions.kind,
        packageId: subscriptions.packageId,
        packageName: packages.name,
        startsAt: subscriptions.startsAt,
        expiresAt: subscriptions.expiresAt,
        priceCharged: subscriptions.priceCharged,
        customerPrice: subscriptions.customerPrice,
        renewsSubscriptionId: subscriptions.renewsSubscriptionId,
        reversedAt: subscriptions.reversedAt,
        createdAt: subscriptions.createdAt,
      })
      .from(subscriptions)
      .innerJoin(packages, eq(packages.id, subscriptions.packageId))
      .where(and(eq(subscriptions.customerId, customerId), eq(subscriptions.resellerId, resellerId)))
      .orderBy(desc(subscriptions.createdAt), desc(subscriptions.startsAt)),
    db
      .select(customerPaymentColumns)
      .from(customerPayments)
      .where(and(eq(customerPayments.customerId, customerId), eq(customerPayments.resellerId, resellerId)))
      .orderBy(desc(customerPayments.createdAt), desc(customerPayments.receiptNumber))
      .limit(200),
  ]);
  if (!row) throw new DomainError("CUSTOMER_NOT_FOUND");
  const now = new Date();
  const current = subs.find((s) => s.reversedAt === null) ?? null;
  return {
    customer: { ...row.customer, areaName: row.areaName, expiry: expiryState(row.customer.expiresAt, now) },
    /** The latest period still counting: the one Renew extends. */
    currentSubscription: current,
    subscriptions: subs,
    payments,
  };
}
export type CustomerDetail = Awaited<ReturnType<typeof getCustomer>>;

// ---------------------------------------------------------------------------
// Create, edit, suspend
// ---------------------------------------------------------------------------

const usernameField = z
  .string({ error: "Enter a username." })
  .trim()
  .min(3, "A username has at least 3 characters.")
  .max(64, "Keep the username under 64 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, "Use letters, digits and . _ @ - (starting with a letter or digit).");

/** The customer form (create); the reseller id always comes from the session. */
export const customerForm = z.object({
  username: usernameField,
  name: z.string({ error: "Enter the customer's name." }).trim().min(1, "Enter the customer's name.").max(200, "Keep the name under 200 characters."),
  phone: zOptionalText(40).refine((v) => v === null || /^[0-9+()\-.\s]{3,40}$/.test(v), "Use digits, spaces and + - ( ) only."),
  address: zOptionalText(500),
  areaId: z.string({ error: "Choose an area." }).uuid("Choose an area."),
});
export type CustomerFormInput = z.output<typeof customerForm>;

/** Create carries the key the form was rendered with, so a double submit creates one customer. */
export const createCustomerForm = customerForm.extend({ idempotencyKey: zIdempotencyKey });
export type CreateCustomerFormInput = z.output<typeof createCustomerForm>;

export const updateCustomerForm = customerForm.extend({ customerId: z.string().uuid("Choose a customer.") });
export type UpdateCustomerFormInput = z.output<typeof updateCustomerForm>;

export const customerStatusForm = z.object({
  customerId: z.string().uuid("Choose a customer."),
  status: z.enum(customerStatus.enumValues, { error: "Choose active or suspended." }),
  reason: zOptionalText(500),
});
export type CustomerStatusFormInput = z.output<typeof customerStatusForm>;

function usernameTaken(): DomainError {
  return new DomainError("USERNAME_TAKEN", undefined, { username: "That username is already in use. Choose another." });
}

const isUsernameViolation = (error: unknown) => isUniqueViolation(error, "customers_username_unique");

async function assertUsernameFree(db: Queryable, username: string, exceptCustomerId?: string) {
  const [clash] = await db
    .select({ id: customers.id })
    .from(customers)
    .where(sql`lower(${customers.username}) = lower(${username})`)
    .limit(1);
  if (clash && clash.id !== exceptCustomerId) throw usernameTaken();
}

async function assertAreaInScope(db: Queryable, resellerId: string, areaId: string) {
  const [row] = await db
    .select({ areaId: resellerAreas.areaId })
    .from(resellerAreas)
    .where(and(eq(resellerAreas.resellerId, resellerId), eq(resellerAreas.areaId, areaId)));
  if (!row) throw new DomainError("AREA_NOT_IN_SCOPE", undefined, { areaId: "Choose one of your areas." });
}

export type CreateCustomerInput = CreateCustomerFormInput & { resellerId: string };

/**
 * Creates a customer of the reseller. The area must be one the reseller
 * serves (AREA_NOT_IN_SCOPE); the username is unique across the whole
 * install, ignoring case (USERNAME_TAKEN with fields.username). The same
 * idempotency key returns the customer it created (`replayed: true`).
 */
export async function createCustomer(db: Db, actor: Actor, input: CreateCustomerInput): Promise<Customer & { replayed: boolean }> {
  assertActsFor(actor, input.resellerId);
  if (!isUuid(input.resellerId)) throw new DomainError("RESELLER_NOT_FOUND");
  const { idempotencyKey, ...payload } = input;
  try {
    return await runMoneyCommand(db, { key: idempotencyKey, command: "createCustomer", payload, resellerId: input.resellerId }, async (tx) => {
      await assertAreaInScope(tx, input.resellerId, input.areaId);
      await assertUsernameFree(tx, input.username);
      const [customer] = await tx
        .insert(customers)
        .values({
          resellerId: input.resellerId,
          areaId: input.areaId,
          username: input.username,
          name: input.name,
          phone: input.phone,
          address: input.address,
        })
        .returning();
      await recordAudit(tx, actor, {
        action: "customer.create",
        targetType: "customer",
        targetId: customer!.id,
        resellerId: input.resellerId,
        details: { username: input.username, name: input.name, areaId: input.areaId },
      });
      return customer!;
    });
  } catch (error) {
    if (isUsernameViolation(error)) throw usernameTaken(); // lost a race for the same name
    throw error;
  }
}

export type UpdateCustomerInput = UpdateCustomerFormInput & { resellerId: string };

/** Edits one of the reseller's customers (same rules as create). Another reseller's customer is CUSTOMER_NOT_FOUND. */
export async function updateCustomer(db: Db, actor: Actor, input: UpdateCustomerInput): Promise<Customer> {
  assertActsFor(actor, input.resellerId);
  try {
    return await db.transaction(async (tx) => {
      const before = await findOwnCustomer(tx, input.resellerId, input.customerId, true);
      // Keeping an area the admin has since taken out of scope is allowed; moving into one is not.
      if (input.areaId !== before.areaId) await assertAreaInScope(tx, input.resellerId, input.areaId);
      if (input.username.toLowerCase() !== before.username.toLowerCase()) await assertUsernameFree(tx, input.username, before.id);
      const next = { username: input.username, name: input.name, phone: input.phone, address: input.address, areaId: input.areaId };
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(next) as (keyof typeof next)[]) {
        if (before[key] !== next[key]) changes[key] = { from: before[key], to: next[key] };
      }
      if (Object.keys(changes).length === 0) return before;
      const [customer] = await tx
        .update(customers)
        .set(next)
        .where(and(eq(customers.id, before.id), eq(customers.resellerId, input.resellerId)))
        .returning();
      await recordAudit(tx, actor, {
        action: "customer.update",
        targetType: "customer",
        targetId: before.id,
        resellerId: input.resellerId,
        details: { changes },
      });
      return customer!;
    });
  } catch (error) {
    if (isUsernameViolation(error)) throw usernameTaken();
    throw error;
  }
}

export type SetCustomerStatusInput = CustomerStatusFormInput & { resellerId: string };

/** Suspends or reactivates one of the reseller's customers. Setting the status it already has changes nothing. */
export async function setCustomerStatus(db: Db, actor: Actor, input: SetCustomerStatusInput): Promise<Customer & { changed: boolean }> {
  assertActsFor(actor, input.resellerId);
  return db.transaction(async (tx) => {
    const before = await findOwnCustomer(tx, input.resellerId, input.customerId, true);
    if (before.status === input.status) return { ...before, changed: false };
    const [customer] = await tx
      .update(customers)
      .set({ status: input.status })
      .where(and(eq(customers.id, before.id), eq(customers.resellerId, input.resellerId)))
      .returning();
    await recordAudit(tx, actor, {
      action: input.status === "suspended" ? "customer.suspend" : "customer.reactivate",
      targetType: "customer",
      targetId: before.id,
      resellerId: input.resellerId,
      details: { from: before.status, to: input.status, ...(input.reason ? { reason: input.reason } : {}) },
    });
    return { ...customer!, changed: true };
  });
}

// ---------------------------------------------------------------------------
// Activation / renewal quote (the confirm screen)
// ---------------------------------------------------------------------------

export type QuoteOption = {
  packageId: string;
  name: string;
  validityDays: number;
  downloadMbps: number;
  uploadMbps: number;
  /** What the reseller is charged (its rate). */
  rate: bigint;
  /** What the customer pays the reseller (the package's list price). */
  customerPrice: bigint;
  startsAt: Date;
  expiresAt: Date;
  balanceAfter: bigint;
  outstandingAfter: bigint;
  /** Whether the charge rule (lib/billing canCharge) and the customer allow it right now. */
  allowed: boolean;
  refusal: ActionError | null;
};

export type ActivationQuote = {
  customer: { id: string; username: string; name: string; status: "active" | "suspended"; expiresAt: Date | null };
  /** "renewal" while the customer's service runs (activation would be ALREADY_ACTIVE), else "activation". */
  kind: "activation" | "renewal";
  /** The period a renewal extends (the latest one not reversed), for renewSubscription. */
  renewsSubscriptionId: string | null;
  position: {
    type: "prepaid" | "postpaid";
    status: "active" | "suspended";
    balance: bigint;
    outstanding: bigint;
    collectionLimit: bigint;
    currency: string;
  };
  /** Active packages in the reseller's scope, cheapest rate first. */
  options: QuoteOption[];
  /** The option for `packageId` (or, for a renewal, the current package), if in scope. */
  selected: QuoteOption | null;
};

function refusalOf(error: unknown): ActionError {
  if (isDomainError(error)) return { code: error.code, message: error.message };
  throw error;
}

/**
 * What activating (or renewing) would do, for the confirm screen: the
 * packages in scope with the reseller's rate and the customer price, the new
 * expiry (activation: now + validity; renewal: from max(now, current
 * expiry)), the balance and outstanding after, and whether the charge rule
 * allows it. Reads only; the charge itself is activateSubscription /
 * renewSubscription, which check everything again under the reseller lock.
 */
export async function activationQuote(db: Queryable, resellerId: string, customerId: string, packageId?: string): Promise<ActivationQuote> {
  if (!isUuid(resellerId) || !isUuid(customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  if (packageId !== undefined && !isUuid(packageId)) throw new DomainError("PACKAGE_NOT_IN_SCOPE");
  const [[reseller], [customer], priced, [latest]] = await Promise.all([
    db.select().from(resellers).where(eq(resellers.id, resellerId)),
    db
      .select()
      .from(customers)
      .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId))),
    db
      .select({ rate: resellerPackageRates.rate, pkg: packages })
      .from(resellerPackageRates)
      .innerJoin(packages, eq(packages.id, resellerPackageRates.packageId))
      .where(eq(resellerPackageRates.resellerId, resellerId))
      .orderBy(asc(resellerPackageRates.rate), asc(packages.name)),
    db
      .select({ id: subscriptions.id, packageId: subscriptions.packageId })
      .from(subscriptions)
      .where(and(eq(subscriptions.customerId, customerId), eq(subscriptions.resellerId, resellerId), isNull(subscriptions.reversedAt)))
      .orderBy(desc(subscriptions.expiresAt), desc(subscriptions.createdAt))
      .limit(1),
  ]);
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");

  const now = new Date();
  const running = customer.expiresAt !== null && customer.expiresAt > now;
  const kind = running && latest ? "renewal" : "activation";
  const startsAt = running ? customer.expiresAt! : now;

  const options: QuoteOption[] = priced
    .filter((p) => p.pkg.active)
    .map(({ rate, pkg }) => {
      let refusal: ActionError | null = null;
      if (customer.status !== "active") refusal = refusalOf(new DomainError("CUSTOMER_SUSPENDED"));
      else if (!canCharge(reseller, rate)) {
        try {
          assertCanCharge(reseller, rate);
        } catch (error) {
          refusal = refusalOf(error);
        }
      }
      const balanceAfter = reseller.balance - rate;
      return {
        packageId: pkg.id,
        name: pkg.name,
        validityDays: pkg.validityDays,
        downloadMbps: pkg.downloadMbps,
        uploadMbps: pkg.uploadMbps,
        rate,
        customerPrice: pkg.customerPrice,
        startsAt,
        expiresAt: new Date(startsAt.getTime() + pkg.validityDays * DAY_MS),
        balanceAfter,
        outstandingAfter: outstandingOf(balanceAfter),
        allowed: refusal === null,
        refusal,
      };
    });

  let selected: QuoteOption | null = null;
  if (packageId !== undefined) {
    selected = options.find((o) => o.packageId === packageId) ?? null;
    if (!selected) {
      const inScope = priced.find((p) => p.pkg.id === packageId);
      throw new DomainError(inScope ? "PACKAGE_INACTIVE" : "PACKAGE_NOT_IN_SCOPE", undefined, {
        packageId: inScope ? "That package is no longer sold." : "That package is not available to you.",
      });
    }
  } else if (kind === "renewal" && latest) {
    selected = options.find((o) => o.packageId === latest.packageId) ?? null;
  }

  return {
    customer: { id: customer.id, username: customer.username, name: customer.name, status: customer.status, expiresAt: customer.expiresAt },
    kind,
    renewsSubscriptionId: latest?.id ?? null,
    position: {
      type: reseller.type,
      status: reseller.status,
      balance: reseller.balance,
      outstanding: outstandingOf(reseller.balance),
      collectionLimit: reseller.collectionLimit,
      currency: reseller.currency,
    },
    options,
    selected,
  };
}
