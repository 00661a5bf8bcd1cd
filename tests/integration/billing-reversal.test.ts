import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { journalEntries, journalLines, resellers } from "@/db/schema";
import { activateSubscription, addBalance, recordCashReceived, renewSubscription, reverseEntry } from "@/lib/billing";
import { checkInvariants } from "@/lib/billing/invariants";
import { post } from "@/lib/billing/posting";
import {
  adminActor,
  bookState,
  failureCode,
  ledgerOf,
  loadCustomer,
  loadReseller,
  makeChargeableReseller,
  makeCustomer,
  newKey,
  resellerActor,
  subscriptionsOf,
} from "../support/factories";
import { db } from "../support/fresh-database";

function reverse(entryId: number, reason = "Charged the wrong customer") {
  return reverseEntry(db(), adminActor, { entryId, reason, idempotencyKey: newKey() });
}

function credit(resellerId: string, amount: bigint) {
  return addBalance(db(), adminActor, { resellerId, amount, method: "cash", idempotencyKey: newKey() });
}

/** Every journal line behind a ledger entry, in the order written. */
function journalOf(ledgerEntryId: number) {
  return db()
    .select({ account: journalLines.account, resellerId: journalLines.resellerId, amount: journalLines.amount })
    .from(journalLines)
    .innerJoin(journalEntries, eq(journalEntries.id, journalLines.journalEntryId))
    .where(eq(journalEntries.ledgerEntryId, ledgerEntryId))
    .orderBy(asc(journalLines.id));
}

async function counterAccountOf(ledgerEntryId: number) {
  return (await journalOf(ledgerEntryId)).map((line) => line.account).filter((account) => account !== "reseller_accounts");
}

/** The reversal's journal is the original's, line for line, with every amount negated. */
async function expectMirrored(originalId: number, reversalId: number) {
  const original = await journalOf(originalId);
  expect(original.length).toBeGreaterThanOrEqual(2);
  expect(await journalOf(reversalId)).toEqual(original.map((line) => ({ ...line, amount: -line.amount })));
}

/** A prepaid reseller with one activated customer. */
async function withActivation(rate = 1_500n, openingBalance = 10_000n) {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate, openingBalance });
  const customer = await makeCustomer(db(), reseller.id, area.id);
  const activation = await activateSubscription(db(), resellerActor(reseller.id), {
    resellerId: reseller.id,
    customerId: customer.id,
    packageId: pkg.id,
    idempotencyKey: newKey(),
  });
  return { reseller, pkg, customer, activation };
}

describe("reverseEntry", () => {
  it("reverses a charge with a new linked, opposite entry and restores the balance", async () => {
    const { reseller, activation } = await withActivation();
    const reversal = await reverse(activation.entry.id, "Activated by mistake");
    expect(reversal.entry).toMatchObject({
      kind: "reversal",
      amount: 1_500n,
      balanceAfter: 10_000n,
      reversesEntryId: activation.entry.id,
      subscriptionId: activation.subscription.id,
      note: "Activated by mistake",
    });
    expect(reversal.balanceBefore).toBe(8_500n);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(10_000n);
    expect(await counterAccountOf(reversal.entry.id)).toEqual(["revenue"]);
    // Revenue gives back the charge and the reseller's account is credited: every line mirrored.
    expect(await journalOf(reversal.entry.id)).toEqual([
      { account: "revenue", resellerId: null, amount: 1_500n },
      { account: "reseller_accounts", resellerId: reseller.id, amount: -1_500n },
    ]);
    await expectMirrored(activation.entry.id, reversal.entry.id);
    // The original is untouched: history is corrected, never rewritten.
    const original = (await ledgerOf(db(), reseller.id)).find((entry) => entry.id === activation.entry.id);
    expect(original).toEqual(activation.entry);
  });

  it("takes back the customer's service: the period stops counting and the expiry returns to what it was", async () => {
    const { reseller, customer, activation } = await withActivation();
    const renewal = await renewSubscription(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      subscriptionId: activation.subscription.id,
      idempotencyKey: newKey(),
    });
    expect((await loadCustomer(db(), customer.id)).expiresAt).toEqual(renewal.subscription.expiresAt);

    await reverse(renewal.entry.id);
    expect((await loadCustomer(db(), customer.id)).expiresAt).toEqual(activation.subscription.expiresAt);
    const [first, second] = await subscriptionsOf(db(), customer.id);
    expect(first!.reversedAt).toBeNull();
    expect(second!.reversedAt).toBeInstanceOf(Date);

    await reverse(activation.entry.id);
    expect((await loadCustomer(db(), customer.id)).expiresAt).toBeNull();
    expect((await loadReseller(db(), reseller.id)).balance).toBe(10_000n);
  });

  it("lets a customer whose only charge was reversed be activated again", async () => {
    const { reseller, pkg, customer, activation } = await withActivation();
    await reverse(activation.entry.id);
    const again = await activateSubscription(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      customerId: customer.id,
      packageId: pkg.id,
      idempotencyKey: newKey(),
    });
    expect(again.subscription.kind).toBe("activation");
  });

  it("refuses to renew a reversed subscription with SUBSCRIPTION_NOT_FOUND", async () => {
    const { reseller, activation } = await withActivation();
    await reverse(activation.entry.id);
    const renewal = renewSubscription(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      subscriptionId: activation.subscription.id,
      idempotencyKey: newKey(),
    });
    expect(await failureCode(renewal)).toBe("SUBSCRIPTION_NOT_FOUND");
  });

  it("reverses an entry only once: a second reversal is ALREADY_REVERSED and posts nothing", async () => {
    const { reseller, activation } = await withActivation();
    await reverse(activation.entry.id);
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(reverse(activation.entry.id, "Trying again"))).toBe("ALREADY_REVERSED");
    expect(await bookState(db(), reseller.id)).toEqual(before);
  });

  it("cannot reverse a reversal (CANNOT_REVERSE_REVERSAL)", async () => {
    const { reseller, activation } = await withActivation();
    const reversal = await reverse(activation.entry.id);
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(reverse(reversal.entry.id))).toBe("CANNOT_REVERSE_REVERSAL");
    expect(await bookState(db(), reseller.id)).toEqual(before);
  });

  it.each(["", "  ", "no"])("requires a reason: %j is VALIDATION_FAILED", async (reason) => {
    const { reseller, activation } = await withActivation();
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(reverse(activation.entry.id, reason))).toBe("VALIDATION_FAILED");
    expect(await bookState(db(), reseller.id)).toEqual(before);
  });

  it("refuses an entry that does not exist with ENTRY_NOT_FOUND", async () => {
    expect(await failureCode(reverse(987_654_321))).toBe("ENTRY_NOT_FOUND");
  });

  it("is for admins only", async () => {
    const { reseller, activation } = await withActivation();
    const byReseller = reverseEntry(db(), resellerActor(reseller.id), {
      entryId: activation.entry.id,
      reason: "Undo my own charge",
      idempotencyKey: newKey(),
    });
    expect(await failureCode(byReseller)).toBe("FORBIDDEN");
  });

  it("reverses a prepaid credit down to exactly zero, and refuses one that would go negative", async () => {
    // Opening 10,000, charge 1,500, top-up 1,000: balance 9,500.
    const { reseller, activation } = await withActivation(1_500n, 10_000n);
    const topUp = await credit(reseller.id, 1_000n);
    const opening = (await ledgerOf(db(), reseller.id))[0]!;
    expect(opening.kind).toBe("balance_added");
    expect(activation.balanceAfter).toBe(8_500n);

    // Taking back the 10,000 opening credit would leave -500 on a prepaid reseller.
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(reverse(opening.id))).toBe("INSUFFICIENT_BALANCE");
    expect(await bookState(db(), reseller.id)).toEqual(before);

    // Taking back the top-up leaves 8,500; then refunding the charge brings it to 10,000,
    // and the opening credit can be taken back exactly to zero.
    expect((await reverse(topUp.entry.id)).balanceAfter).toBe(8_500n);
    await reverse(activation.entry.id);
    const toZero = await reverse(opening.id);
    expect(toZero.balanceAfter).toBe(0n);
    expect(await counterAccountOf(toZero.entry.id)).toEqual(["cash"]);
  });

  it("balances a reversed online payment against gateway clearing", async () => {
    const { reseller } = await makeChargeableReseller(db(), { type: "postpaid", rate: 1_000n, collectionLimit: 10_000n });
    const payment = await recordCashReceived(db(), adminActor, {
      resellerId: reseller.id,
      amount: 2_000n,
      method: "card",
      source: "online_payment",
      paymentReference: `cs_test_${newKey()}`,
      idempotencyKey: newKey(),
    });
    const reversal = await reverse(payment.entry.id, "Card payment charged back");
    expect(reversal.entry.amount).toBe(-2_000n);
    expect(reversal.balanceAfter).toBe(0n);
    expect(await counterAccountOf(reversal.entry.id)).toEqual(["gateway_clearing"]);
    await expectMirrored(payment.entry.id, reversal.entry.id);
  });

  it("mirrors cash received against cash, and an Add Balance credit against cash", async () => {
    const { reseller } = await makeChargeableReseller(db(), { type: "postpaid", rate: 1_000n, collectionLimit: 10_000n });
    const cash = await recordCashReceived(db(), adminActor, { resellerId: reseller.id, amount: 700n, method: "cash", source: "reseller_action", idempotencyKey: newKey() });
    const added = await credit(reseller.id, 300n);
    await expectMirrored(cash.entry.id, (await reverse(cash.entry.id)).entry.id);
    await expectMirrored(added.entry.id, (await reverse(added.entry.id)).entry.id);
    expect(await counterAccountOf(cash.entry.id)).toEqual(["cash"]);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
  });

  it("mirrors every line of an entry whose journal has more than one counter line (not just the first)", async () => {
    const { reseller } = await makeChargeableReseller(db(), { type: "postpaid", rate: 1_000n, collectionLimit: 10_000n });
    // A credit of 1,000 that arrived partly in cash and partly through the gateway.
    const split = await db().transaction(async (tx) => {
      const [locked] = await tx.select().from(resellers).where(eq(resellers.id, reseller.id)).for("update");
      return post(
        tx,
        adminActor,
        locked!,
        {
          kind: "cash_received",
          amount: 1_000n,
          idempotencyKey: newKey(),
          lines: [
            { account: "cash", resellerId: null, amount: 600n },
            { account: "gateway_clearing", resellerId: null, amount: 400n },
            { account: "reseller_accounts", resellerId: reseller.id, amount: -1_000n },
          ],
        },
        "test.split_credit",
      );
    });
    const reversal = await reverse(split.entry.id, "Posted against the wrong reseller");
    expect(await journalOf(reversal.entry.id)).toEqual([
      { account: "cash", resellerId: null, amount: -600n },
      { account: "gateway_clearing", resellerId: null, amount: -400n },
      { account: "reseller_accounts", resellerId: reseller.id, amount: 1_000n },
    ]);
    expect(reversal.balanceAfter).toBe(0n);
    expect(await checkInvariants(db())).toEqual([]);
  });
});
