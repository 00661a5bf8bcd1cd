import { describe, expect, it } from "vitest";
import { activateSubscription, recordCashReceived } from "@/lib/billing";
import { adminDashboard } from "@/lib/admin-dashboard";
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
});
