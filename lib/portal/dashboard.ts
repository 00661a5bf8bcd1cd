import "server-only";
import { and, asc, desc, eq, min, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { areas, customers, ledgerEntries, packages, resellerPackageRates, resellers, type Reseller } from "@/db/schema";
import { canCharge } from "@/lib/billing/rules";
import { dayOf, daySeries, lastDays, type DayWindow } from "@/lib/charts";
import { customerSummaryColumns, entrySummaryColumns } from "@/lib/columns";
import { installTimeZone } from "@/lib/config";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { formatAmount, outstandingOf } from "@/lib/money";
import { expiryCondition } from "./customers";
import { EXPIRING_SOON_DAYS } from "./expiry";

export type DashboardBanner = {
  /** Why activations and renewals are refused right now. */
  reason: "reseller_suspended" | "no_packages" | "balance_too_low" | "collection_limit_reached";
  message: string;
};

/** How many rows the dashboard's "expiring soon" and "recent entries" lists show. */
export const DASHBOARD_LIST_SIZE = 10;
const EXPIRING_COUNT_CAP = 10_000;

/**
 * The banner a reseller sees when it cannot activate or renew anything:
 * decided with the billing rule (canCharge) against the cheapest rate in its
 * scope, so it shows exactly when no activation at all is possible.
 */
export function blockedBanner(reseller: Reseller, cheapestRate: bigint | null): DashboardBanner | null {
  const currency = reseller.currency;
  if (reseller.status !== "active") {
    return { reason: "reseller_suspended", message: "Your account is suspended, so you cannot activate or renew — contact your admin" };
  }
  if (cheapestRate === null) {
    return { reason: "no_packages", message: "No packages are assigned to you yet — ask your admin to add packages to your scope" };
  }
  if (canCharge(reseller, cheapestRate)) return null;
  if (reseller.type === "prepaid") {
    return {
      reason: "balance_too_low",
      message: `Your prepaid balance is ${formatAmount(reseller.balance, currency)} — ask your admin to add balance or pay online`,
    };
  }
  return {
    reason: "collection_limit_reached",
    message:
      `You have reached your collection limit of ${formatAmount(reseller.collectionLimit, currency)} — ` +
      `your outstanding is ${formatAmount(outstandingOf(reseller.balance), currency)}; pay your admin to activate or renew again`,
  };
}

export type DayPosition = { day: string; balance: bigint };
export type DayCharges = { day: string; activations: number; renewals: number };

/**
 * The reseller's balance at the end of each day of the window (in the
 * install's time zone): the running balance after its last entry of that
 * day or before, 0 before its first entry; today's is the balance now.
 */
export async function positionHistory(db: Queryable, resellerId: string, window: DayWindow, timeZone: string): Promise<DayPosition[]> {
  const rows = (await db.execute(sql`
    select d.day::text as day,
           coalesce((select l.balance_after from ledger_entries l
                     where l.reseller_id = ${resellerId} and l.created_at < ((d.day + 1)::timestamp at time zone ${timeZone})
                     order by l.created_at desc, l.id desc limit 1), 0)::text as balance
    from ${daySeries(window)}
    order by d.day`)) as unknown as { day: string; balance: string }[];
  return rows.map((r) => ({ day: r.day, balance: BigInt(r.balance) }));
}

/** Activations and renewals per day of the window (in the install's time zone); reversed charges do not count. */
export async function chargesPerDay(db: Queryable, resellerId: string, window: DayWindow, timeZone: string): Promise<DayCharges[]> {
  const rows = (await db.execute(sql`
    with c as (
      select ${dayOf("created_at", timeZone)} as day,
             count(*) filter (where kind = 'activation') as activations,
             count(*) filter (where kind = 'renewal') as renewals
      from subscriptions
      where reseller_id = ${resellerId} and created_at >= ${window.start.toISOString()}::timestamptz and reversed_at is null
      group by 1
    )
    select d.day::text as day, coalesce(c.activations, 0)::int as activations, coalesce(c.renewals, 0)::int as renewals
    from ${daySeries(window)} left join c on c.day = d.day
    order by d.day`)) as unknown as DayCharges[];
  return rows.map((r) => ({ day: r.day, activations: Number(r.activations), renewals: Number(r.renewals) }));
}

/**
 * Everything the reseller's dashboard shows, in one round of parallel
 * queries: the money position (balance for prepaid; outstanding, limit and
 * % used for postpaid), the blocked banner, customers expiring in the next 7
 * days, the latest ledger entries, and for the charts its end-of-day balance
 * and its activations and renewals per day over the last 30 days.
 */
export async function getDashboard(db: Queryable, resellerId: string, now: Date = new Date(), timeZone: string = installTimeZone()) {
  if (!isUuid(resellerId)) throw new DomainError("RESELLER_NOT_FOUND");
  const expiringWhere = and(eq(customers.resellerId, resellerId), expiryCondition("expiring"));
  const window = lastDays(now, timeZone);
  const [[reseller], [cheapest], expiring, [expiringCount], recentEntries, history, charges] = await Promise.all([
    db.select().from(resellers).where(eq(resellers.id, resellerId)),
    db
      .select({ rate: min(resellerPackageRates.rate) })
      .from(resellerPackageRates)
      .innerJoin(packages, eq(packages.id, resellerPackageRates.packageId))
      .where(and(eq(resellerPackageRates.resellerId, resellerId), eq(packages.active, true))),
    db
      .select({
        ...customerSummaryColumns,
        areaName: areas.name,
      })
      .from(customers)
      .innerJoin(areas, eq(areas.id, customers.areaId))
      .where(expiringWhere)
      .orderBy(asc(customers.expiresAt), asc(customers.id))
      .limit(DASHBOARD_LIST_SIZE),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(db.select({ one: sql`1` }).from(customers).where(expiringWhere).limit(EXPIRING_COUNT_CAP).as("capped")),
    db
      .select({
        ...entrySummaryColumns,
        balanceAfter: ledgerEntries.balanceAfter,
        customerId: ledgerEntries.customerId,
      })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.resellerId, resellerId))
      .orderBy(desc(ledgerEntries.id))
      .limit(DASHBOARD_LIST_SIZE),
    positionHistory(db, resellerId, window, timeZone),
    chargesPerDay(db, resellerId, window, timeZone),
  ]);
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  const cheapestRate = cheapest?.rate ?? null;
  const outstanding = outstandingOf(reseller.balance);
  const banner = blockedBanner(reseller, cheapestRate);
  // Percent of the collection limit in use (postpaid), one decimal, capped at 100 for the bar.
  const limitUsedPercent =
    reseller.type !== "postpaid"
      ? null
      : reseller.collectionLimit === 0n
        ? outstanding > 0n
          ? 100
          : 0
        : Math.min(100, Number((outstanding * 1000n) / reseller.collectionLimit) / 10);
  return {
    reseller: { id: reseller.id, name: reseller.name, type: reseller.type, status: reseller.status, currency: reseller.currency },
    balance: reseller.balance,
    outstanding,
    collectionLimit: reseller.collectionLimit,
    /** Postpaid: what can still be charged before the limit; prepaid: the balance (never below 0). */
    available: reseller.type === "postpaid" ? (reseller.collectionLimit > outstanding ? reseller.collectionLimit - outstanding : 0n) : reseller.balance > 0n ? reseller.balance : 0n,
    limitUsedPercent,
    cheapestRate,
    blocked: banner !== null,
    banner,
    expiringSoon: { rows: expiring, total: expiringCount?.n ?? 0, days: EXPIRING_SOON_DAYS },
    recentEntries,
    charts: { window, history, charges },
  };
}
export type Dashboard = Awaited<ReturnType<typeof getDashboard>>;
