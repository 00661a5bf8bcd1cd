import { describe, expect, it } from "vitest";
import { activateSubscription, addBalance, chargeSummary, postingSummary, reverseEntry, setCollectionLimit } from "@/lib/billing";
import {
  adminActor,
  bookState,
  failureCode,
  ledgerOf,
  loadReseller,
  makeChargeableReseller,
  makeCustomers,
  makeReseller,
  newKey,
  resellerActor,
} from "../support/factories";
import { db } from "../support/fresh-database";

async function prepaidWithCustomers(count: number, openingBalance = 10_000n) {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance });
  const customers = await makeCustomers(db(), reseller.id, area.id, count);
  const activate = (customerId: string, idempotencyKey: string) =>
    activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId, packageId: pkg.id, idempotencyKey });
  return { reseller, pkg, customers, activate };
}

describe("idempotent money commands", () => {
  it("returns the first result for a repeated key, marked replayed, and posts once", async () => {
    const { reseller, customers, activate } = await prepaidWithCustomers(1);
    const key = newKey();
    const first = await activate(customers[0]!.id, key);
    const again = await activate(customers[0]!.id, key);

    expect(first.replayed).toBe(false);
    expect(again.replayed).toBe(true);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.subscription.id).toBe(first.subscription.id);
    expect(again.balanceAfter).toBe(9_000n);
    const { replayed: _first, ...firstResult } = first;
    const { replayed: _again, ...replayedResult } = again;
    // Same values and the same types (bigints stay bigints, dates stay dates).
    expect(replayedResult).toEqual(firstResult);

    const charges = (await ledgerOf(db(), reseller.id)).filter((entry) => entry.kind === "activation");
    expect(charges).toHaveLength(1);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(9_000n);
  });

  it("gives the forms the same plain summary for the first result and its replay (only `replayed` differs)", async () => {
    const { reseller, customers, activate } = await prepaidWithCustomers(1);
    const key = newKey();
    const first = chargeSummary(await activate(customers[0]!.id, key));
    const again = chargeSummary(await activate(customers[0]!.id, key));
    expect(first).toEqual({
      entryId: expect.any(Number),
      subscriptionId: expect.any(String),
      startsAt: expect.any(Date),
      expiresAt: expect.any(Date),
      priceCharged: 1_000n,
      balanceBefore: 10_000n,
      balanceAfter: 9_000n,
      outstandingBefore: 0n,
      outstandingAfter: 0n,
      replayed: false,
    });
    expect(again).toEqual({ ...first, replayed: true });
    const creditKey = newKey();
    const credit = () => addBalance(db(), adminActor, { resellerId: reseller.id, amount: 500n, method: "cash", idempotencyKey: creditKey });
    const credited = postingSummary(await credit());
    expect(credited).toEqual({ entryId: expect.any(Number), balanceBefore: 9_000n, balanceAfter: 9_500n, outstandingBefore: 0n, outstandingAfter: 0n, replayed: false });
    expect(postingSummary(await credit())).toEqual({ ...credited, replayed: true });
  });

  it("replays the first result even when the rule would now refuse the charge", async () => {
    const { customers, activate } = await prepaidWithCustomers(1, 1_000n);
    const key = newKey();
    const first = await activate(customers[0]!.id, key);
    expect(first.balanceAfter).toBe(0n);
    const again = await activate(customers[0]!.id, key);
    expect(again).toMatchObject({ replayed: true, balanceAfter: 0n });
    expect(again.entry.id).toBe(first.entry.id);
  });

  it("refuses the same key with a different payload with IDEMPOTENCY_CONFLICT", async () => {
    const { reseller, customers, activate } = await prepaidWithCustomers(2);
    const key = newKey();
    await activate(customers[0]!.id, key);
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(activate(customers[1]!.id, key))).toBe("IDEMPOTENCY_CONFLICT");
    expect(await bookState(db(), reseller.id)).toEqual(before);
  });

  it("refuses the same key for a different command with IDEMPOTENCY_CONFLICT", async () => {
    const reseller = await makeReseller(db(), { type: "postpaid" });
    const key = newKey();
    await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 1_000n, method: "cash", idempotencyKey: key });
    const other = setCollectionLimit(db(), adminActor, { resellerId: reseller.id, collectionLimit: 1_000n, idempotencyKey: key });
    expect(await failureCode(other)).toBe("IDEMPOTENCY_CONFLICT");
    expect((await loadReseller(db(), reseller.id)).collectionLimit).toBe(0n);
  });

  it("refuses an amount changed under the same key (a tampered resubmission) with IDEMPOTENCY_CONFLICT", async () => {
    const reseller = await makeReseller(db());
    const key = newKey();
    const credit = (amount: bigint) => addBalance(db(), adminActor, { resellerId: reseller.id, amount, method: "cash", idempotencyKey: key });
    await credit(1_000n);
    expect(await failureCode(credit(1_001n))).toBe("IDEMPOTENCY_CONFLICT");
    expect((await credit(1_000n)).replayed).toBe(true);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(1_000n);
  });

  it("posts exactly once when 20 calls with one key arrive together", async () => {
    const { reseller, customers, activate } = await prepaidWithCustomers(1);
    const key = newKey();
    const results = await Promise.all(Array.from({ length: 20 }, () => activate(customers[0]!.id, key)));

    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    expect(results.filter((result) => result.replayed)).toHaveLength(19);
    expect(new Set(results.map((result) => result.entry.id)).size).toBe(1);
    expect(new Set(results.map((result) => result.subscription.id)).size).toBe(1);
    const charges = (await ledgerOf(db(), reseller.id)).filter((entry) => entry.kind === "activation");
    expect(charges).toHaveLength(1);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(9_000n);
  });

  it("credits once when 20 identical Add Balance submissions arrive together", async () => {
    const reseller = await makeReseller(db());
    const key = newKey();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        addBalance(db(), adminActor, { resellerId: reseller.id, amount: 2_500n, method: "cash", idempotencyKey: key }),
      ),
    );
    expect(new Set(results.map((result) => result.entry.id)).size).toBe(1);
    expect(results.every((result) => result.balanceAfter === 2_500n)).toBe(true);
    expect(await ledgerOf(db(), reseller.id)).toHaveLength(1);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(2_500n);
  });

  it("lets only one of two resellers claim a key used for both at the same moment", async () => {
    const first = await makeReseller(db());
    const second = await makeReseller(db());
    const key = newKey();
    const credit = (resellerId: string) =>
      addBalance(db(), adminActor, { resellerId, amount: 1_000n, method: "cash", idempotencyKey: key });
    const outcomes = await Promise.all([credit(first.id), credit(second.id)].map((command) => failureCode(command)));

    expect(outcomes.sort()).toEqual(["(succeeded)", "IDEMPOTENCY_CONFLICT"]);
    const balances = [(await loadReseller(db(), first.id)).balance, (await loadReseller(db(), second.id)).balance];
    expect(balances.sort()).toEqual([0n, 1_000n]);
  });

  it("stores nothing for a refused command, so the same key can be retried once the cause is fixed", async () => {
    const { reseller, customers, activate } = await prepaidWithCustomers(1, 999n);
    const key = newKey();
    expect(await failureCode(activate(customers[0]!.id, key))).toBe("INSUFFICIENT_BALANCE");
    await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 1n, method: "cash", idempotencyKey: newKey() });
    const retried = await activate(customers[0]!.id, key);
    expect(retried).toMatchObject({ replayed: false, balanceAfter: 0n });
  });

  it("replays a reversal under its key instead of reporting ALREADY_REVERSED", async () => {
    const { customers, activate } = await prepaidWithCustomers(1);
    const charge = await activate(customers[0]!.id, newKey());
    const key = newKey();
    const reverse = () => reverseEntry(db(), adminActor, { entryId: charge.entry.id, reason: "Wrong package", idempotencyKey: key });
    const first = await reverse();
    const again = await reverse();
    expect(again.replayed).toBe(true);
    expect(again.entry.id).toBe(first.entry.id);
    expect(again.balanceAfter).toBe(10_000n);
  });

  it("requires an idempotency key", async () => {
    const { customers, activate } = await prepaidWithCustomers(1);
    expect(await failureCode(activate(customers[0]!.id, ""))).toBe("VALIDATION_FAILED");
    expect(await failureCode(activate(customers[0]!.id, "k".repeat(201)))).toBe("VALIDATION_FAILED");
  });
});
