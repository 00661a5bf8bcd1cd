import "server-only";
import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { ledgerEntries, resellerPackageRates, resellers } from "@/db/schema";
import { dayOf, daySeries, lastDays, type DayWindow } from "./charts";
import { entrySummaryColumns } from "./columns";
import { installTimeZone } from "./config";
import { todayAndMonthStart } from "./dates";
import { accountsReceivable } from "./receivables";

/** A reseller is "near" its limit from this share of it on. */
export const NEAR_LIMIT_PERCENT = 80;
/** How many resellers the "outstanding by reseller" chart names; the rest are summed as others. */
export const OUTSTANDING_CHART_SIZE = 8;

export type DailyFlow = { day: string; collected: bigint; charged: bigint };

/**
 * Money in and money charged per day of the window, in the install's time
 * zone, across every reseller: collected = Add Balance, cash received and
 * online payments; charged = activations and renewals. A reversal counts
 * against the kind it reverses, so a credit entered twice and reversed is
 * collected once. Days without entries are zero.
 */
export async function dailyFlows(db: Queryable, window: DayWindow, timeZone: string): Promise<DailyFlow[]> {
  const rows = (await db.execute(sql`
    with flows as (
      select ${dayOf("l.created_at", timeZone)} as day,
             coalesce(sum(l.amount) filter (where coalesce(o.kind, l.kind) in ('balance_added', 'cash_received', 'online_payment')), 0) as collected,
             coalesce(-sum(l.amount) filter (where coalesce(o.kind, l.kind) in ('activation', 'renewal')), 0) as charged
      from ledger_entries l left join ledger_entries o on o.id = l.reverses_entry_id
      where l.created_at >= ${window.start.toISOString()}::timestamptz
      group by 1
    )
    select d.day::text as day, coalesce(f.collected, 0)::text as collected, coalesce(f.charged, 0)::text as charged
    from ${daySeries(window)} left join flows f on f.day = d.day
    order by d.day`)) as unknown as { day: string; collected: string; charged: string }[];
  return rows.map((r) => ({ day: r.day, collected: BigInt(r.collected), charged: BigInt(r.charged) }));
}

/** The admin's morning view: money held and owed, money in, activations, who needs attention, recent activity. */
export async function adminDashboard(db: Queryable, now: Date = new Date(), timeZone: string = installTimeZone()) {
  const { today, month } = todayAndMonthStart(now, timeZone); // "today" is the install's day, not UTC's
  const credits = ["cash_received", "online_payment", "balance_added"] as const;
  const window = lastDays(now, timeZone);
  const [[position], [flows], attention, recent, days, receivable] = await Promise.all([
    db
      .select({
        prepaidHeld: sql<bigint>`coalesce(sum(${resellers.balance}) filter (where ${resellers.type} = 'prepaid' and ${resellers.balance} > 0), 0)`.mapWith(BigInt),
        postpaidOutstanding: sql<bigint>`coalesce(sum(-${resellers.balance}) filter (where ${resellers.balance} < 0), 0)`.mapWith(BigInt),
        resellers: sql<number>`count(*)::int`,
      })
      .from(resellers),
    db
      .select({
        collectedToday: sql<bigint>`coalesce(sum(${ledgerEntries.amount}) filter (where ${inArray(ledgerEntries.kind, [...credits])} and ${ledgerEntries.createdAt} >= ${today.toISOString()}), 0)`.mapWith(BigInt),
        collectedMonth: sql<bigint>`coalesce(sum(${ledgerEntries.amount}) filter (where ${inArray(ledgerEntries.kind, [...credits])}), 0)`.mapWith(BigInt),
        activationsToday: sql<number>`(count(*) filter (where ${ledgerEntries.kind} = 'activation' and ${ledgerEntries.createdAt} >= ${today.toISOString()}))::int`,
        renewalsToday: sql<number>`(count(*) filter (where ${ledgerEntries.kind} = 'renewal' and ${ledgerEntries.createdAt} >= ${today.toISOString()}))::int`,
      })
      .from(ledgerEntries)
      .where(gte(ledgerEntries.createdAt, month)),
    db
      .select({
        id: resellers.id,
        name: resellers.name,
        type: resellers.type,
        balance: resellers.balance,
        collectionLimit: resellers.collectionLimit,
        currency: resellers.currency,
        cheapestRate: sql<bigint | null>`(select min(r.rate) from ${resellerPackageRates} r where r.reseller_id = "resellers"."id")`.mapWith((v) => (v === null ? null : BigInt(v))),
      })
      .from(resellers)
      .where(
        and(
          eq(resellers.status, "active"),
          sql`(("resellers"."type" = 'postpaid' and -"resellers"."balance" * 100 >= "resellers"."collection_limit" * ${NEAR_LIMIT_PERCENT})
            or ("resellers"."type" = 'prepaid' and "resellers"."balance" < coalesce((select min(r.rate) from ${resellerPackageRates} r where r.reseller_id = "resellers"."id"), 1)))`,
        ),
      )
      .orderBy(resellers.name)
      .limit(20),
    db
      .select({
        ...entrySummaryColumns,
        actor: ledgerEntries.actorLabel,
        resellerId: resellers.id,
        resellerName: resellers.name,
        currency: resellers.currency,
      })
      .from(ledgerEntries)
      .innerJoin(resellers, eq(resellers.id, ledgerEntries.resellerId))
      .orderBy(desc(ledgerEntries.id))
      .limit(10),
    dailyFlows(db, window, timeZone),
    accountsReceivable(db, now, timeZone),
  ]);
  const named = receivable.rows.slice(0, OUTSTANDING_CHART_SIZE);
  const others = receivable.rows.slice(OUTSTANDING_CHART_SIZE);
  return {
    prepaidHeld: position?.prepaidHeld ?? 0n,
    postpaidOutstanding: position?.postpaidOutstanding ?? 0n,
    resellerCount: position?.resellers ?? 0,
    collectedToday: flows?.collectedToday ?? 0n,
    collectedThisMonth: flows?.collectedMonth ?? 0n,
    activationsToday: flows?.activationsToday ?? 0,
    renewalsToday: flows?.renewalsToday ?? 0,
    attention: attention.map((r) => ({
      ...r,
      reason:
        r.type === "postpaid"
          ? -r.balance >= r.collectionLimit
            ? ("at_limit" as const)
            : ("near_limit" as const)
          : r.balance <= 0n
            ? ("zero_balance" as const)
            : ("below_cheapest_rate" as const),
    })),
    recent,
    charts: {
      window,
      /** Collected and charged per day, oldest first. */
      flows: days,
      /** The resellers that owe the most, largest first, with what the rest owe together. */
      outstanding: {
        rows: named.map((r) => ({ resellerId: r.resellerId, name: r.name, outstanding: r.outstanding, collectionLimit: r.collectionLimit })),
        others: { count: others.length, outstanding: others.reduce((sum, r) => sum + r.outstanding, 0n) },
      },
      /** Everything owed, aged first-in-first-out as on Accounts Receivable. */
      aging: receivable.totals,
    },
  };
}
export type AdminDashboard = Awaited<ReturnType<typeof adminDashboard>>;
