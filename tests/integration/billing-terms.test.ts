import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog } from "@/db/schema";
import { activateSubscription, recordCashReceived, setCollectionLimit, setResellerType } from "@/lib/billing";
import { MAX_MINOR_UNITS } from "@/lib/money";
import {
  adminActor,
  failureCode,
  ledgerOf,
  loadReseller,
  makeChargeableReseller,
  makeCustomers,
  newKey,
  resellerActor,
} from "../support/factories";
import { db } from "../support/fresh-database";

/** A postpaid reseller (rate 1,000) that has made `charges` activations, with spare customers left. */
async function postpaidReseller(collectionLimit: bigint, charges: number) {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { type: "postpaid", rate: 1_000n, collectionLimit });
  const customers = await makeCustomers(db(), reseller.id, area.id, charges + 3);
  let next = 0;
  const charge = () =>
    activateSubscription(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      customerId: customers[next++]!.id,
      packageId: pkg.id,
      idempotencyKey: newKey(),
    });
  for (let i = 0; i < charges; i++) await charge();
  return { reseller, charge };
}

const limit = (resellerId: string, collectionLimit: bigint) =>
  setCollectionLimit(db(), adminActor, { resellerId, collectionLimit, idempotencyKey: newKey() });

const switchTo = (resellerId: string, type: "prepaid" | "postpaid") =>
  setResellerType(db(), adminActor, { resellerId, type, idempotencyKey: newKey() });

const pay = (resellerId: string, amount: bigint) =>
  recordCashReceived(db(), adminActor, { resellerId, amount, method: "cash", source: "accounts_receivable", idempotencyKey: newKey() });

describe("setCollectionLimit", () => {
  it("lowering the limit below the outstanding blocks charges and leaves existing entries as they were", async () => {
    const { reseller, charge } = await postpaidReseller(5_000n, 3);
    const history = await ledgerOf(db(), reseller.id);
    expect(history.map((entry) => entry.collectionLimit)).toEqual([5_000n, 5_000n, 5_000n]);

    const result = await limit(reseller.id, 2_000n);
    expect(result).toMatchObject({ collectionLimit: 2_000n, outstanding: 3_000n, blocked: true, replayed: false });
    expect((await loadReseller(db(), reseller.id)).collectionLimit).toBe(2_000n);
    expect(await failureCode(charge())).toBe("COLLECTION_LIMIT_REACHED");
    expect(await ledgerOf(db(), reseller.id)).toEqual(history);

    // Even paying down to the new limit does not make room for another charge.
    await pay(reseller.id, 1_000n);
    expect(await failureCode(charge())).toBe("COLLECTION_LIMIT_REACHED");
    await pay(reseller.id, 1_000n);
    const allowed = await charge();
    expect(allowed.outstandingAfter).toBe(2_000n);
    expect(allowed.entry.collectionLimit).toBe(2_000n);
  });

  it("raising the limit makes room for charges at once", async () => {
    const { reseller, charge } = await postpaidReseller(2_000n, 2);
    expect(await failureCode(charge())).toBe("COLLECTION_LIMIT_REACHED");
    const result = await limit(reseller.id, 3_000n);
    expect(result.blocked).toBe(false);
    expect((await charge()).outstandingAfter).toBe(3_000n);
  });

  it("reports a reseller exactly at its limit as blocked", async () => {
    const { reseller } = await postpaidReseller(5_000n, 2);
    expect((await limit(reseller.id, 2_000n)).blocked).toBe(true);
    expect((await limit(reseller.id, 2_001n)).blocked).toBe(false);
  });

  it("is written to the audit log", async () => {
    const { reseller } = await postpaidReseller(5_000n, 0);
    await limit(reseller.id, 7_500n);
    const rows = await db()
      .select({ details: auditLog.details })
      .from(auditLog)
      .where(and(eq(auditLog.resellerId, reseller.id), eq(auditLog.action, "reseller.set_collection_limit")));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toEqual({ from: "5000", to: "7500" });
  });

  it("refuses a negative or oversized limit with INVALID_AMOUNT, and reseller actors with FORBIDDEN", async () => {
    const { reseller } = await postpaidReseller(5_000n, 0);
    expect(await failureCode(limit(reseller.id, -1n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(limit(reseller.id, MAX_MINOR_UNITS + 1n))).toBe("INVALID_AMOUNT");
    const byReseller = setCollectionLimit(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      collectionLimit: 1_000_000n,
      idempotencyKey: newKey(),
    });
    expect(await failureCode(byReseller)).toBe("FORBIDDEN");
    expect((await loadReseller(db(), reseller.id)).collectionLimit).toBe(5_000n);
    expect((await limit(reseller.id, 0n)).collectionLimit).toBe(0n);
  });
});

describe("setResellerType", () => {
  it("refuses to make a reseller prepaid while it owes money, and allows it once the balance is exactly zero", async () => {
    const { reseller } = await postpaidReseller(5_000n, 2);
    expect(await failureCode(switchTo(reseller.id, "prepaid"))).toBe("OUTSTANDING_MUST_BE_SETTLED");
    await pay(reseller.id, 1_999n);
    expect(await failureCode(switchTo(reseller.id, "prepaid"))).toBe("OUTSTANDING_MUST_BE_SETTLED");
    expect((await loadReseller(db(), reseller.id)).type).toBe("postpaid");

    await pay(reseller.id, 1n);
    const result = await switchTo(reseller.id, "prepaid");
    expect(result).toMatchObject({ type: "prepaid", outstanding: 0n, blocked: true });
    expect((await loadReseller(db(), reseller.id)).type).toBe("prepaid");
  });

  it("applies the prepaid rule from the switch on, and stamps later entries with the new terms", async () => {
    const { reseller, charge } = await postpaidReseller(5_000n, 1);
    await pay(reseller.id, 2_500n); // balance +1,500
    await switchTo(reseller.id, "prepaid");
    const spent = await charge();
    expect(spent.balanceAfter).toBe(500n);
    expect(spent.entry.resellerType).toBe("prepaid");
    expect(await failureCode(charge())).toBe("INSUFFICIENT_BALANCE");
    const [first] = await ledgerOf(db(), reseller.id);
    expect(first!.resellerType).toBe("postpaid");
  });

  it("switches a prepaid reseller to postpaid, where the collection limit then applies", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 500n, collectionLimit: 600n });
    const [first, second] = await makeCustomers(db(), reseller.id, area.id, 2);
    const charge = (customerId: string) =>
      activateSubscription(db(), resellerActor(reseller.id), {
        resellerId: reseller.id,
        customerId,
        packageId: pkg.id,
        idempotencyKey: newKey(),
      });
    expect(await failureCode(charge(first!.id))).toBe("INSUFFICIENT_BALANCE");
    const result = await switchTo(reseller.id, "postpaid");
    expect(result).toMatchObject({ type: "postpaid", outstanding: 0n, blocked: false });
    expect((await charge(first!.id)).outstandingAfter).toBe(500n);
    expect(await failureCode(charge(second!.id))).toBe("COLLECTION_LIMIT_REACHED");
  });

  it("is for admins only", async () => {
    const { reseller } = await postpaidReseller(5_000n, 0);
    const byReseller = setResellerType(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      type: "prepaid",
      idempotencyKey: newKey(),
    });
    expect(await failureCode(byReseller)).toBe("FORBIDDEN");
    expect((await loadReseller(db(), reseller.id)).type).toBe("postpaid");
  });
});
