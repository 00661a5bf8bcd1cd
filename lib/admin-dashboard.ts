import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { ledgerEntries, resellerPackageRates, resellers } from "@/db/schema";
import { entrySummaryColumns } from "./columns";
import { installTimeZone } from "./config";
import { todayAndMonthStart } from "./dates";

/** A reseller is "near" its limit from this share of it on. */
export const NEAR_LIMIT_PERCENT = 80;

/** The admin's morning view: money held and owed, money in, activations, who needs attention, recent activity. */
export async function adminDashboard(db: Queryable, now: Date = new Date(), timeZone: string = installTimeZone()) {
  const { today, month } = todayAndMonthStart(now, timeZone); // "today" is the install's day, not UTC's
  const credits = ["cash_received", "online_payment", "balance_added"] as const;
  const [[position], [flows], attention, recent] = await Promise.all([
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
  ]);
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
  };
}
export type AdminDashboard = Awaited<ReturnType<typeof adminDashboard>>;
