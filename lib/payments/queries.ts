import "server-only";
import { and, asc, count, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { onlinePayments, resellers } from "@/db/schema";
import { installTimeZone } from "@/lib/config";
import { dayStartIn } from "@/lib/dates";
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
