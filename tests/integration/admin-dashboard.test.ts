import { describe, expect, it } from "vitest";
import { activateSubscription, addBalance, recordCashReceived, reverseEntry } from "@/lib/billing";
import { adminDashboard, dailyFlows, OUTSTANDING_CHART_SIZE } from "@/lib/admin-dashboard";
import { CHART_DAYS, lastDays } from "@/lib/charts";
import { installTimeZone } from "@/lib/config";
import { calendarDayIn } from "@/lib/dates";
import { accountsReceivable } from "@/lib/receivables";
import { adminActor, makeChargeableReseller, makeCustomer, newKey, postLedgerEntries, resellerActor } from "../support/factories";
import { testDb } from "../support/fresh-database";

describe("admin dashboard", () => {
  it("totals money held, owed and collected, counts activations, and flags resellers that cannot charge", async () => {
    const { db } = testDb();
    const before = await adminDashboard(db);
    const prepaid = await makeChargeableReseller(db, { rate: 1_000n, openingBalance: 2_500n });
    const empty = await makeChargeableReseller(db, { rate: 1_000n, openingBalance: 999n });
    const postpaid = await makeChargeableReseller(db, { rate: 1_000n, type: "postpaid", collectionLimit: 2_000n });
    for (let i = 0; i < 2; i++) {
      const customer = await makeCustomer(db, postpaid.reseller.id, postpaid.area.id);
      await activateSubscription(db, resellerActor(postpaid.reseller.id), { resellerId: postpaid.reseller.id, customerId: customer.id, packageId: postpaid.pkg.id, idempotencyKey: newKey() });
    }
    await recordCashReceived(db, adminActor, { resellerId: postpaid.reseller.id, amount: 300n, method: "cash", source: "reseller_action", idempotencyKey: newKey() });

    const after = await adminDashboard(db);
    expect(after.prepaidHeld - before.prepaidHeld).toBe(2_500n + 999n);
    expect(after.postpaidOutstanding - before.postpaidOutstanding).toBe(1_700n);
    expect(after.collectedToday - before.collectedToday).toBe(2_500n + 999n + 300n);
    expect(after.activationsToday - before.activationsToday).toBe(2);
    const flagged = new Map(after.attention.map((r) => [r.id, r.reason]));
    expect(flagged.get(empty.reseller.id)).toBe("below_cheapest_rate");
    expect(flagged.get(postpaid.reseller.id)).toBe("near_limit"); // 1,700 of 2,000 = 85%
    expect(flagged.has(prepaid.reseller.id)).toBe(false);
    expect(after.recent[0]).toMatchObject({ kind: "cash_received", resellerId: postpaid.reseller.id, amount: 300n });
  });

  it("counts today and this month in the install's time zone", async () => {
    const { db } = testDb();
    const { reseller } = await makeChargeableReseller(db, { rate: 1_000n, type: "postpaid", collectionLimit: 10_000n });
    const now = new Date("2026-12-01T01:00:00Z"); // 07:00 on 1 December in Dhaka, 01:00 in UTC
    const [utcBefore, dhakaBefore] = await Promise.all([adminDashboard(db, now, "UTC"), adminDashboard(db, now, "Asia/Dhaka")]);
    // 20:00 on 30 November in UTC, but 02:00 on 1 December in Dhaka.
    await postLedgerEntries(db, reseller.id, [{ kind: "cash_received", amount: 500n, createdAt: new Date("2026-11-30T20:00:00Z") }]);

    const [utc, dhaka] = await Promise.all([adminDashboard(db, now, "UTC"), adminDashboard(db, now, "Asia/Dhaka")]);
    expect(utc.collectedToday - utcBefore.collectedToday).toBe(0n);
    expect(utc.collectedThisMonth - utcBefore.collectedThisMonth).toBe(0n);
    expect(dhaka.collectedToday - dhakaBefore.collectedToday).toBe(500n);
    expect(dhaka.collectedThisMonth - dhakaBefore.collectedThisMonth).toBe(500n);
  });

  it("charts collections and charges per day: every day of the last 30, reversals netted against what they reverse", async () => {
    const { db } = testDb();
    const today = (d: Awaited<ReturnType<typeof adminDashboard>>) => d.charts.flows.at(-1)!;
    const before = await adminDashboard(db);
    const { reseller, pkg, area } = await makeChargeableReseller(db, { rate: 1_000n, openingBalance: 5_000n });
    // An Add Balance entered twice, the second reversed: collected once.
    await addBalance(db, adminActor, { resellerId: reseller.id, amount: 2_000n, method: "cash", idempotencyKey: newKey() });
    const twice = await addBalance(db, adminActor, { resellerId: reseller.id, amount: 2_000n, method: "cash", idempotencyKey: newKey() });
    await reverseEntry(db, adminActor, { entryId: twice.entry.id, reason: "Entered twice", idempotencyKey: newKey() });
    // Two activations, one reversed: charged once.
    const charges = [];
    for (let i = 0; i < 2; i++) {
      const customer = await makeCustomer(db, reseller.id, area.id);
      charges.push(await activateSubscription(db, resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() }));
    }
    await reverseEntry(db, adminActor, { entryId: charges[0]!.entry.id, reason: "Wrong customer", idempotencyKey: newKey() });

    const after = await adminDashboard(db);
    expect(after.charts.flows).toHaveLength(CHART_DAYS);
    expect(after.charts.window).toEqual(lastDays(new Date(), installTimeZone()));
    expect(after.charts.flows.map((f) => f.day)).toEqual(before.charts.flows.map((f) => f.day));
    expect(today(after).day).toBe(calendarDayIn(new Date(), installTimeZone()));
    expect(today(after).collected - today(before).collected).toBe(5_000n + 2_000n);
    expect(today(after).charged - today(before).charged).toBe(1_000n);
  });

  it("groups the chart's days in the install's time zone and starts the window at the first day's midnight there", async () => {
    const { db } = testDb();
    const { reseller } = await makeChargeableReseller(db, { rate: 1_000n, type: "postpaid", collectionLimit: 100_000n });
    const now = new Date("2031-01-10T12:00:00Z");
    await postLedgerEntries(db, reseller.id, [
      // 20:00 on 11 December in UTC (before the UTC window), 02:00 on 12 December in Dhaka (its first day).
      { kind: "cash_received", amount: 700n, createdAt: new Date("2030-12-11T20:00:00Z") },
      { kind: "activation", amount: -300n, createdAt: new Date("2031-01-05T10:00:00Z") },
      // 20:00 on 9 January in UTC, 02:00 on 10 January in Dhaka.
      { kind: "cash_received", amount: 500n, createdAt: new Date("2031-01-09T20:00:00Z") },
    ]);
    const utc = await dailyFlows(db, lastDays(now, "UTC"), "UTC");
    const dhaka = await dailyFlows(db, lastDays(now, "Asia/Dhaka"), "Asia/Dhaka");
    for (const flows of [utc, dhaka]) {
      expect(flows).toHaveLength(30);
      expect(flows[0]!.day).toBe("2030-12-12");
      expect(flows.at(-1)!.day).toBe("2031-01-10");
    }
    const pick = (flows: typeof utc, day: string) => flows.find((f) => f.day === day)!;
    expect(pick(utc, "2030-12-12")).toEqual({ day: "2030-12-12", collected: 0n, charged: 0n });
    expect(pick(dhaka, "2030-12-12")).toEqual({ day: "2030-12-12", collected: 700n, charged: 0n });
    expect(pick(utc, "2031-01-05").charged).toBe(300n);
    expect(pick(dhaka, "2031-01-05").charged).toBe(300n);
    expect(pick(utc, "2031-01-09").collected).toBe(500n);
    expect(pick(utc, "2031-01-10").collected).toBe(0n);
    expect(pick(dhaka, "2031-01-09").collected).toBe(0n);
    expect(pick(dhaka, "2031-01-10").collected).toBe(500n);
    expect(utc.reduce((sum, f) => sum + f.collected, 0n)).toBe(500n);
    expect(dhaka.reduce((sum, f) => sum + f.collected, 0n)).toBe(1_200n);
  });

  it("charts outstanding by reseller (the largest few, the rest summed) and the receivables aging, as Accounts Receivable has them", async () => {
    const { db } = testDb();
    for (let i = 0; i < OUTSTANDING_CHART_SIZE + 2; i++) {
      const { reseller, pkg, area } = await makeChargeableReseller(db, { rate: BigInt(1_000 + i * 100), type: "postpaid", collectionLimit: 100_000n });
      const customer = await makeCustomer(db, reseller.id, area.id);
      await activateSubscription(db, resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
    }
    const now = new Date();
    const [d, receivable] = await Promise.all([adminDashboard(db, now), accountsReceivable(db, now)]);
    const { rows, others } = d.charts.outstanding;
    expect(rows).toHaveLength(OUTSTANDING_CHART_SIZE);
    expect(rows).toEqual(receivable.rows.slice(0, OUTSTANDING_CHART_SIZE).map((r) => ({ resellerId: r.resellerId, name: r.name, outstanding: r.outstanding, collectionLimit: r.collectionLimit })));
    expect(rows.map((r) => r.outstanding)).toEqual([...rows.map((r) => r.outstanding)].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    expect(others.count).toBe(receivable.rows.length - OUTSTANDING_CHART_SIZE);
    expect(rows.reduce((sum, r) => sum + r.outstanding, 0n) + others.outstanding).toBe(d.postpaidOutstanding);
    expect(d.charts.aging).toEqual(receivable.totals);
    expect(d.charts.aging.days0to30 + d.charts.aging.days31to60 + d.charts.aging.days61to90 + d.charts.aging.days90plus).toBe(d.charts.aging.outstanding);
  });
});
