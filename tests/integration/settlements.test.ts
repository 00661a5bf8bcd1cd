import { afterEach, describe, expect, it, vi } from "vitest";
import { activateSubscription, addBalance, recordCashReceived } from "@/lib/billing";
import { listSettlements, settlementSearchSchema, settlementsCsv } from "@/lib/settlements";
import { adminActor, makeChargeableReseller, makeCustomer, newKey, postLedgerEntries, resellerActor } from "../support/factories";
import { testDb } from "../support/fresh-database";

describe("payments received (admin Payments)", () => {
  it("lists credits only, with kind/method/search filters, totals, sorting and CSV", async () => {
    const { db } = testDb();
    const a = await makeChargeableReseller(db, { rate: 100n, type: "postpaid", collectionLimit: 10_000n });
    const customer = await makeCustomer(db, a.reseller.id, a.area.id);
    await activateSubscription(db, resellerActor(a.reseller.id), { resellerId: a.reseller.id, customerId: customer.id, packageId: a.pkg.id, idempotencyKey: newKey() });
    await addBalance(db, adminActor, { resellerId: a.reseller.id, amount: 700n, method: "bank_transfer", reference: "BANK-77", idempotencyKey: newKey() });
    await recordCashReceived(db, adminActor, { resellerId: a.reseller.id, amount: 300n, method: "cash", source: "reseller_action", reference: "RCPT-9", idempotencyKey: newKey() });

    const mine = settlementSearchSchema.parse({ q: a.reseller.name });
    const all = await listSettlements(db, mine);
    expect(all.rows.map((r) => r.kind).sort()).toEqual(["balance_added", "cash_received"]);
    expect(all.totalAmount).toBe(1000n);
    const cash = await listSettlements(db, settlementSearchSchema.parse({ q: a.reseller.name, method: "cash" }));
    expect(cash.rows.map((r) => r.reference)).toEqual(["RCPT-9"]);
    const byRef = await listSettlements(db, settlementSearchSchema.parse({ q: "bank-77" }));
    expect(byRef.rows).toEqual([expect.objectContaining({ amount: 700n, resellerId: a.reseller.id })]);
    const ascending = await listSettlements(db, settlementSearchSchema.parse({ q: a.reseller.name, sort: "amount.asc" }));
    expect(ascending.rows.map((r) => r.amount)).toEqual([300n, 700n]);
    const csv = await settlementsCsv(db, settlementSearchSchema.parse({ q: "RCPT-9" }));
    expect(csv).toContain(`${a.reseller.name},cash_received,3.00,USD,cash,reseller_action,RCPT-9`);
  });

  describe("date range", () => {
    afterEach(() => vi.unstubAllEnvs());

    it("takes whole days in the install's time zone", async () => {
      const { db } = testDb();
      const { reseller } = await makeChargeableReseller(db, { rate: 100n, type: "postpaid", collectionLimit: 10_000n });
      await postLedgerEntries(db, reseller.id, [
        { kind: "cash_received", amount: 100n, createdAt: new Date("2026-03-01T20:00:00Z") }, // 2 March 02:00 in Dhaka
        { kind: "cash_received", amount: 200n, createdAt: new Date("2026-03-02T12:00:00Z") }, // 2 March in both
        { kind: "cash_received", amount: 400n, createdAt: new Date("2026-03-02T19:00:00Z") }, // 3 March 01:00 in Dhaka
      ]);
      const secondOfMarch = () => listSettlements(db, settlementSearchSchema.parse({ q: reseller.name, from: "2026-03-02", to: "2026-03-02" }));

      expect((await secondOfMarch()).totalAmount).toBe(600n);
      vi.stubEnv("LASTMILE_TIME_ZONE", "Asia/Dhaka");
      expect((await secondOfMarch()).totalAmount).toBe(300n);
    });
  });
});
