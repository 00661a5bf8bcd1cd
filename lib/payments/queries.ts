import "server-only";
import { and, asc, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { onlinePayments, resellers } from "@/db/schema";
import { installTimeZone } from "@/lib/config";
import { dayStartIn } from "@/lib/dates";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { likePattern, toCsv, type Page } from "@/lib/lists";
import { toDecimalString } from "@/lib/money";
import { onlinePaymentListParams } from "@/lib/url-state/lists";
import { urlSearchSchema } from "@/lib/url-state/schema";
import { stalePendingCondition } from "./checkout";

/** The online payments lists' URL (lib/url-state/lists: the same parsers write it in the browser). */
export const onlinePaymentSearchSchema = urlSearchSchema(onlinePaymentListParams);
export type OnlinePaymentSearch = z.output<typeof onlinePaymentSearchSchema>;

/** `resellerId` set: one reseller's own payments (the portal); unset: every reseller's (the admin). */
function where(search: OnlinePaymentSearch, resellerId?: string): SQL | undefined {
  return and(
    resellerId ? eq(onlinePayments.resellerId, resellerId) : undefined,
    search.status ? eq(onlinePayments.status, search.status) : undefined,
    search.from ? gte(onlinePayments.createdAt, dayStartIn(search.from, installTimeZone())) : undefined,
    search.to ? lt(onlinePayments.createdAt, dayStartIn(search.to, installTimeZone(), 1)) : undefined,
    search.q
      ? or(ilike(resellers.name, likePattern(search.q)), ilike(onlinePayments.checkoutSessionId, likePattern(search.q)), ilike(onlinePayments.startedByLabel, likePattern(search.q)))
      : undefined,
  );
}

const columns = {
  id: onlinePayments.id,
  createdAt: onlinePayments.createdAt,
  settledAt: onlinePayments.settledAt,
  status: onlinePayments.status,
  amount: onlinePayments.amount,
  currency: onlinePayments.currency,
  gatewayMode: onlinePayments.gatewayMode,
  checkoutSessionId: onlinePayments.checkoutSessionId,
  paymentIntentId: onlinePayments.paymentIntentId,
  ledgerEntryId: onlinePayments.ledgerEntryId,
  reason: onlinePayments.reason,
  startedBy: onlinePayments.startedByLabel,
  resellerId: resellers.id,
  resellerName: resellers.name,
};

function selectRows(db: Queryable, search: OnlinePaymentSearch, resellerId?: string) {
  const dir = search.sort.direction === "asc" ? asc : desc;
  const sortColumn = { createdAt: onlinePayments.createdAt, amount: onlinePayments.amount, reseller: resellers.name, status: onlinePayments.status }[search.sort.column];
  return db
    .select(columns)
    .from(onlinePayments)
    .innerJoin(resellers, eq(resellers.id, onlinePayments.resellerId))
    .where(where(search, resellerId))
    .orderBy(dir(sortColumn), dir(onlinePayments.createdAt), dir(onlinePayments.id));
}
export type OnlinePaymentRow = Awaited<ReturnType<typeof selectRows>>[number];

export async function listOnlinePayments(db: Queryable, search: OnlinePaymentSearch, resellerId?: string): Promise<Page<OnlinePaymentRow>> {
  const [rows, [totals]] = await Promise.all([
    selectRows(db, search, resellerId)
      .limit(search.perPage)
      .offset((search.page - 1) * search.perPage),
    db.select({ total: count() }).from(onlinePayments).innerJoin(resellers, eq(resellers.id, onlinePayments.resellerId)).where(where(search, resellerId)),
  ]);
  const total = totals?.total ?? 0;
  return { rows, total, pageCount: Math.ceil(total / search.perPage) };
}

export async function onlinePaymentsCsv(db: Queryable, search: OnlinePaymentSearch, resellerId?: string): Promise<string> {
  const rows = await selectRows(db, search, resellerId).limit(100_000);
  return toCsv(
    ["payment", "started_at", "settled_at", "status", "reseller", "amount", "currency", "mode", "checkout_session", "payment_intent", "ledger_entry", "started_by", "reason"],
    rows.map((r) => [
      r.id,
      r.createdAt.toISOString(),
      r.settledAt?.toISOString(),
      r.status,
      r.resellerName,
      toDecimalString(r.amount, r.currency),
      r.currency,
      r.gatewayMode,
      r.checkoutSessionId,
      r.paymentIntentId,
      r.ledgerEntryId,
      r.startedBy,
      r.reason,
    ]),
  );
}

/** What the admin dashboard shows: flagged payments, and pending ones left open too long. */
export async function onlinePaymentAlerts(db: Queryable, now: Date = new Date()) {
  const [row] = await db
    .select({
      flagged: sql<number>`(count(*) filter (where ${onlinePayments.status} = 'flagged'))::int`,
      stalePending: sql<number>`(count(*) filter (where ${stalePendingCondition(now)}))::int`,
    })
    .from(onlinePayments)
    .where(sql`${onlinePayments.status} in ('pending', 'flagged')`);
  return { flagged: row?.flagged ?? 0, stalePending: row?.stalePending ?? 0 };
}

/**
 * The same list for the API: newest first, cut by a cursor (the last id of
 * the previous page) on (created_at, id), read through the created_at
 * indexes. The cursor is looked up within the same scope (a reseller's own).
 */
export async function listOnlinePaymentsAfter(
  db: Queryable,
  filters: Pick<OnlinePaymentSearch, "status" | "from" | "to">,
  page: { limit: number; startingAfter?: string },
  resellerId?: string,
): Promise<{ rows: OnlinePaymentRow[]; hasMore: boolean; nextCursor: string | null }> {
  let after: SQL | undefined;
  if (page.startingAfter !== undefined) {
    const [cursor] = isUuid(page.startingAfter)
      ? await db
          .select({ createdAt: onlinePayments.createdAt, id: onlinePayments.id })
          .from(onlinePayments)
          .where(and(eq(onlinePayments.id, page.startingAfter), resellerId ? eq(onlinePayments.resellerId, resellerId) : undefined))
      : [];
    if (!cursor) throw new DomainError("VALIDATION_FAILED", "starting_after: not a payment of this list.", { starting_after: "Not a payment of this list." });
    after = sql`(${onlinePayments.createdAt}, ${onlinePayments.id}) < (${cursor.createdAt.toISOString()}::timestamptz, ${cursor.id}::uuid)`;
  }
  const search = { ...filters, q: undefined } as OnlinePaymentSearch;
  const fetched = await db
    .select(columns)
    .from(onlinePayments)
    .innerJoin(resellers, eq(resellers.id, onlinePayments.resellerId))
    .where(and(where(search, resellerId), after))
    .orderBy(desc(onlinePayments.createdAt), desc(onlinePayments.id))
    .limit(page.limit + 1);
  const rows = fetched.slice(0, page.limit);
  const hasMore = fetched.length > page.limit;
  return { rows, hasMore, nextCursor: hasMore ? rows[rows.length - 1]!.id : null };
}
