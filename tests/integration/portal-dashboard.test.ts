import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { packages, resellers } from "@/db/schema";
import { activateSubscription, addBalance, recordCashReceived, renewSubscription, reverseEntry } from "@/lib/billing";
import { CHART_DAYS, lastDays } from "@/lib/charts";
import { installTimeZone } from "@/lib/config";
import { calendarDayIn } from "@/lib/dates";
import { chargesPerDay, getDashboard, positionHistory } from "@/lib/portal/dashboard";
import {
  adminActor,
  daysFromNow,
  failureCode,
  makeArea,
  makeChargeableReseller,
  makeCustomer,
  makePackage,
  makeReseller,
  newKey,
  postLedgerEntries,
  resellerActor,
  reprovisionRadius,
} from "../support/factories";
import { db } from "../support/fresh-database";

describe("dashboard: position and blocked banner", () => {
  it("prepaid at zero: blocked, with the balance in the banner", async () => {
    const { reseller } = await makeChargeableReseller(db(), { rate: 1_000n });
    const dash = await getDashboard(db(), reseller.id);
    expect(dash).toMatchObject({ balance: 0n, outstanding: 0n, available: 0n, limitUsedPercent: null, cheapestRate: 1_000n, blocked: true });
    expect(dash.banner).toEqual({ reason: "balance_too_low", message: "Your prepaid balance is 0.00 — ask your admin to add balance or pay online" });
  });

  it("prepaid below the cheapest rate is blocked; at the rate it is not", async () => {
    const { reseller } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 999n });
    const low = await getDashboard(db(), reseller.id);
    expect(low.blocked).toBe(true);
    expect(low.banner?.message).toBe("Your prepaid balance is 9.99 — ask your admin to add balance or pay online");
    await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 1n, method: "cash", idempotencyKey: newKey() });
    const enough = await getDashboard(db(), reseller.id);
    expect(enough).toMatchObject({ balance: 1_000n, available: 1_000n, blocked: false, banner: null });
  });

  it("uses the cheapest active package in scope", async () => {
    const area = await makeArea(db());
    const cheapRetired = await makePackage(db(), { active: false });
    const normal = await makePackage(db());
    const reseller = await makeReseller(db(), {
      areaIds: [area.id],
      rates: [
        { packageId: cheapRetired.id, rate: 100n },
        { packageId: normal.id, rate: 800n },
      ],
      openingBalance: 500n,
    });
    const dash = await getDashboard(db(), reseller.id);
    expect(dash.cheapestRate).toBe(800n);
    expect(dash.blocked).toBe(true);
    await db().update(packages).set({ active: true }).where(eq(packages.id, cheapRetired.id));
    expect((await getDashboard(db(), reseller.id)).blocked).toBe(false);
  });

  it("postpaid: outstanding, limit and % used; blocked at the limit until a payment, with the limit in the banner", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 2_500n, type: "postpaid", collectionLimit: 5_000n });
    const actor = resellerActor(reseller.id);
    const fresh = await getDashboard(db(), reseller.id);
    expect(fresh).toMatchObject({ outstanding: 0n, collectionLimit: 5_000n, available: 5_000n, limitUsedPercent: 0, blocked: false });
    for (let i = 0; i < 2; i++) {
      const customer = await makeCustomer(db(), reseller.id, area.id);
      await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
      if (i === 0) expect((await getDashboard(db(), reseller.id)).limitUsedPercent).toBe(50);
    }
    const full = await getDashboard(db(), reseller.id);
    expect(full).toMatchObject({ balance: -5_000n, outstanding: 5_000n, available: 0n, limitUsedPercent: 100, blocked: true });
    expect(full.banner).toEqual({
      reason: "collection_limit_reached",
      message: "You have reached your collection limit of 50.00 — your outstanding is 50.00; pay your admin to activate or renew again",
    });
    await recordCashReceived(db(), adminActor, { resellerId: reseller.id, amount: 2_500n, method: "cash", source: "reseller_action", idempotencyKey: newKey() });
    const paid = await getDashboard(db(), reseller.id);
    expect(paid).toMatchObject({ outstanding: 2_500n, limitUsedPercent: 50, blocked: false, banner: null });
  });

  it("postpaid with a limit lowered below the outstanding is blocked and shows 100%", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 2_000n, type: "postpaid", collectionLimit: 3_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
    await db().update(resellers).set({ collectionLimit: 1_000n }).where(eq(resellers.id, reseller.id));
    const dash = await getDashboard(db(), reseller.id);
    expect(dash).toMatchObject({ outstanding: 2_000n, limitUsedPercent: 100, available: 0n, blocked: true });
  });

  it("no packages in scope, or a suspended reseller, are blocked with their own banner", async () => {
    const bare = await makeReseller(db(), { openingBalance: 5_000n });
    expect((await getDashboard(db(), bare.id)).banner?.reason).toBe("no_packages");
    const { reseller } = await makeChargeableReseller(db(), { rate: 100n, openingBalance: 5_000n });
    await db().update(resellers).set({ status: "suspended" }).where(eq(resellers.id, reseller.id));
    await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
    expect((await getDashboard(db(), reseller.id)).banner?.reason).toBe("reseller_suspended");
  });

  it("refuses an unknown reseller", async () => {
    expect(await failureCode(getDashboard(db(), "00000000-0000-4000-8000-000000000000"))).toBe("RESELLER_NOT_FOUND");
    expect(await failureCode(getDashboard(db(), "x"))).toBe("RESELLER_NOT_FOUND");
  });
});

describe("dashboard: expiring soon and recent entries", () => {
  it("lists the reseller's own customers expiring in the next 7 days, soonest first, and its latest entries", async () => {
    const { reseller, area } = await makeChargeableReseller(db(), { rate: 100n, openingBalance: 1_000n });
    const other = await makeChargeableReseller(db(), { rate: 100n, openingBalance: 2_000n });
    const soon = [await makeCustomer(db(), reseller.id, area.id, { expiresAt: daysFromNow(6) }), await makeCustomer(db(), reseller.id, area.id, { expiresAt: daysFromNow(1) })];
    await makeCustomer(db(), reseller.id, area.id, { expiresAt: daysFromNow(8) });
    await makeCustomer(db(), reseller.id, area.id, { expiresAt: daysFromNow(-1) });
    await makeCustomer(db(), reseller.id, area.id);
    await makeCustomer(db(), other.reseller.id, other.area.id, { expiresAt: daysFromNow(2) });
    for (let i = 0; i < 12; i++) await addBalance(db(), adminActor, { resellerId: reseller.id, amount: BigInt(i + 1), method: "cash", idempotencyKey: newKey() });

    const dash = await getDashboard(db(), reseller.id);
    expect(dash.expiringSoon.rows.map((r) => r.id)).toEqual([soon[1]!.id, soon[0]!.id]);
    expect(dash.expiringSoon.total).toBe(2);
    expect(dash.expiringSoon.rows[0]!.areaName).toBe(area.name);
    expect(dash.recentEntries).toHaveLength(10);
    expect(dash.recentEntries.map((e) => e.amount)).toEqual([12n, 11n, 10n, 9n, 8n, 7n, 6n, 5n, 4n, 3n]);
    expect(dash.recentEntries[0]!.balanceAfter).toBe(dash.balance);
  });
});

describe("dashboard: charts of the last 30 days", () => {
  const now = new Date("2031-01-10T12:00:00Z");

  it("the balance at the end of each day in the install's time zone, 0 before the first entry, today's is the balance now", async () => {
    const { reseller } = await makeChargeableReseller(db(), { rate: 300n, type: "postpaid", collectionLimit: 10_000n });
    await postLedgerEntries(db(), reseller.id, [
      { kind: "balance_added", amount: 1_000n, createdAt: new Date("2030-12-20T10:00:00Z") },
      // 23:30 on 2 January in UTC, 05:30 on 3 January in Dhaka.
      { kind: "activation", amount: -300n, createdAt: new Date("2031-01-02T23:30:00Z") },
      { kind: "activation", amount: -900n, createdAt: new Date("2031-01-08T09:00:00Z") },
    ]);
    const utc = await positionHistory(db(), reseller.id, lastDays(now, "UTC"), "UTC");
    const dhaka = await positionHistory(db(), reseller.id, lastDays(now, "Asia/Dhaka"), "Asia/Dhaka");
    const at = (history: typeof utc, day: string) => history.find((h) => h.day === day)!.balance;
    for (const history of [utc, dhaka]) {
      expect(history).toHaveLength(CHART_DAYS);
      expect(history[0]).toEqual({ day: "2030-12-12", balance: 0n });
      expect(at(history, "2030-12-19")).toBe(0n);
      expect(at(history, "2030-12-20")).toBe(1_000n);
      expect(at(history, "2031-01-08")).toBe(-200n);
      expect(history.at(-1)).toEqual({ day: "2031-01-10", balance: -200n });
    }
    expect(at(utc, "2031-01-02")).toBe(700n);
    expect(at(dhaka, "2031-01-02")).toBe(1_000n);
    expect(at(dhaka, "2031-01-03")).toBe(700n);
  });

  it("activations and renewals per day, in the install's time zone, reversed charges left out", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 100n, openingBalance: 10_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    await postLedgerEntries(db(), reseller.id, [
      { kind: "activation", amount: -100n, createdAt: new Date("2031-01-02T23:30:00Z"), customerId: customer.id },
      { kind: "renewal", amount: -100n, createdAt: new Date("2031-01-03T08:00:00Z"), customerId: customer.id },
      { kind: "activation", amount: -100n, createdAt: new Date("2031-01-10T11:00:00Z") },
    ]);
    const utc = await chargesPerDay(db(), reseller.id, lastDays(now, "UTC"), "UTC");
    const dhaka = await chargesPerDay(db(), reseller.id, lastDays(now, "Asia/Dhaka"), "Asia/Dhaka");
    const on = (days: typeof utc, day: string) => days.find((d) => d.day === day)!;
    expect(utc).toHaveLength(CHART_DAYS);
    expect(on(utc, "2031-01-02")).toEqual({ day: "2031-01-02", activations: 1, renewals: 0 });
    expect(on(utc, "2031-01-03")).toEqual({ day: "2031-01-03", activations: 0, renewals: 1 });
    expect(on(dhaka, "2031-01-02")).toEqual({ day: "2031-01-02", activations: 0, renewals: 0 });
    expect(on(dhaka, "2031-01-03")).toEqual({ day: "2031-01-03", activations: 1, renewals: 1 });
    expect(on(utc, "2031-01-10").activations).toBe(1);
    expect(utc.reduce((n, d) => n + d.activations + d.renewals, 0)).toBe(3);

    // Today, through the commands: an activation, its renewal, and an activation reversed.
    const actor = resellerActor(reseller.id);
    const others = [await makeCustomer(db(), reseller.id, area.id), await makeCustomer(db(), reseller.id, area.id)];
    const first = await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: others[0]!.id, packageId: pkg.id, idempotencyKey: newKey() });
    await renewSubscription(db(), actor, { resellerId: reseller.id, subscriptionId: first.subscription.id, idempotencyKey: newKey() });
    const wrong = await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: others[1]!.id, packageId: pkg.id, idempotencyKey: newKey() });
    await reverseEntry(db(), adminActor, { entryId: wrong.entry.id, reason: "Wrong customer", idempotencyKey: newKey() });
    const dash = await getDashboard(db(), reseller.id);
    const zone = installTimeZone();
    expect(dash.charts.window).toEqual(lastDays(new Date(), zone));
    expect(dash.charts.charges.at(-1)).toEqual({ day: calendarDayIn(new Date(), zone), activations: 1, renewals: 1 });
    expect(dash.charts.history.at(-1)).toEqual({ day: calendarDayIn(new Date(), zone), balance: dash.balance });
    expect(dash.charts.history).toHaveLength(CHART_DAYS);
  });

  it("only ever reads the reseller's own entries and subscriptions", async () => {
    const mine = await makeChargeableReseller(db(), { rate: 100n, openingBalance: 1_000n });
    const other = await makeChargeableReseller(db(), { rate: 100n, openingBalance: 5_000n });
    const customer = await makeCustomer(db(), other.reseller.id, other.area.id);
    await activateSubscription(db(), resellerActor(other.reseller.id), { resellerId: other.reseller.id, customerId: customer.id, packageId: other.pkg.id, idempotencyKey: newKey() });
    const dash = await getDashboard(db(), mine.reseller.id);
    expect(dash.charts.history.at(-1)!.balance).toBe(1_000n);
    expect(dash.charts.charges.every((d) => d.activations === 0 && d.renewals === 0)).toBe(true);
  });
});
