import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { journalEntries, journalLines } from "@/db/schema";
import { activateSubscription, addBalance, recordCashReceived } from "@/lib/billing";
import type { CashReceivedInput } from "@/lib/billing";
import { MAX_MINOR_UNITS } from "@/lib/money";
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

/** The journal lines behind one ledger entry. */
async function journalOf(ledgerEntryId: number) {
  return db()
    .select({ account: journalLines.account, resellerId: journalLines.resellerId, amount: journalLines.amount })
    .from(journalLines)
    .innerJoin(journalEntries, eq(journalEntries.id, journalLines.journalEntryId))
    .where(eq(journalEntries.ledgerEntryId, ledgerEntryId))
    .orderBy(asc(journalLines.id));
}

function cashReceived(resellerId: string, amount: bigint, extra: Partial<CashReceivedInput> = {}) {
  return recordCashReceived(db(), adminActor, {
    resellerId,
    amount,
    method: "cash",
    source: "accounts_receivable",
    idempotencyKey: newKey(),
    ...extra,
  });
}

/** A postpaid reseller that owes `charges` × 1,000 after that many activations. */
async function postpaidOwing(charges: number, collectionLimit = 5_000n) {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { type: "postpaid", rate: 1_000n, collectionLimit });
  const customers = await makeCustomers(db(), reseller.id, area.id, charges + 1);
  for (const customer of customers.slice(0, charges)) {
    await activateSubscription(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      customerId: customer.id,
      packageId: pkg.id,
      idempotencyKey: newKey(),
    });
  }
  return { reseller, pkg, spareCustomer: customers.at(-1)! };
}

describe("addBalance", () => {
  it("credits the reseller with a balance_added entry balanced against cash", async () => {
    const reseller = await makeReseller(db());
    const result = await addBalance(db(), adminActor, {
      resellerId: reseller.id,
      amount: 25_000n,
      method: "bank_transfer",
      reference: "TRX-1",
      note: "March top-up",
      idempotencyKey: newKey(),
    });
    expect(result).toMatchObject({ balanceBefore: 0n, balanceAfter: 25_000n, replayed: false });
    expect(result.entry).toMatchObject({
      kind: "balance_added",
      amount: 25_000n,
      balanceAfter: 25_000n,
      method: "bank_transfer",
      externalReference: "TRX-1",
      note: "March top-up",
      actorLabel: adminActor.label,
    });
    expect(await journalOf(result.entry.id)).toEqual([
      { account: "cash", resellerId: null, amount: 25_000n },
      { account: "reseller_accounts", resellerId: reseller.id, amount: -25_000n },
    ]);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(25_000n);
  });

  it("accepts up to 10^15 minor units and refuses zero, negative and larger amounts with INVALID_AMOUNT", async () => {
    const reseller = await makeReseller(db());
    const add = (amount: bigint) =>
      addBalance(db(), adminActor, { resellerId: reseller.id, amount, method: "cash", idempotencyKey: newKey() });
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(add(0n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(add(-1n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(add(MAX_MINOR_UNITS + 1n))).toBe("INVALID_AMOUNT");
    expect(await bookState(db(), reseller.id)).toEqual(before);
    expect((await add(MAX_MINOR_UNITS)).balanceAfter).toBe(MAX_MINOR_UNITS);
  });

  it("is for admins only: a reseller cannot credit itself", async () => {
    const reseller = await makeReseller(db());
    const selfCredit = addBalance(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      amount: 1_000n,
      method: "cash",
      idempotencyKey: newKey(),
    });
    expect(await failureCode(selfCredit)).toBe("FORBIDDEN");
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
  });

  it("refuses an unknown reseller with RESELLER_NOT_FOUND", async () => {
    const ghost = addBalance(db(), adminActor, {
      resellerId: "00000000-0000-4000-8000-000000000000",
      amount: 1_000n,
      method: "cash",
      idempotencyKey: newKey(),
    });
    expect(await failureCode(ghost)).toBe("RESELLER_NOT_FOUND");
  });
});

describe("recordCashReceived", () => {
  it("reduces the outstanding of a postpaid reseller", async () => {
    const { reseller } = await postpaidOwing(3);
    const result = await cashReceived(reseller.id, 1_000n);
    expect(result.outstandingBefore).toBe(3_000n);
    expect(result.outstandingAfter).toBe(2_000n);
    expect(result.balanceAfter).toBe(-2_000n);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(-2_000n);
  });

  it("unblocks a reseller at its collection limit once a payment reduces the outstanding", async () => {
    const { reseller, pkg, spareCustomer } = await postpaidOwing(3, 3_000n);
    const charge = () =>
      activateSubscription(db(), resellerActor(reseller.id), {
        resellerId: reseller.id,
        customerId: spareCustomer.id,
        packageId: pkg.id,
        idempotencyKey: newKey(),
      });
    expect(await failureCode(charge())).toBe("COLLECTION_LIMIT_REACHED");
    await cashReceived(reseller.id, 999n);
    expect(await failureCode(charge())).toBe("COLLECTION_LIMIT_REACHED");
    await cashReceived(reseller.id, 1n);
    expect((await charge()).outstandingAfter).toBe(3_000n);
  });

  it("leaves a credit when the payment is more than the outstanding", async () => {
    const { reseller } = await postpaidOwing(2);
    const result = await cashReceived(reseller.id, 2_500n);
    expect(result.balanceAfter).toBe(500n);
    expect(result.outstandingAfter).toBe(0n);
  });

  it.each([
    ["reseller_action", "cash_received", "cash"],
    ["accounts_receivable", "cash_received", "cash"],
    ["online_payment", "online_payment", "gateway_clearing"],
  ] as const)("records source %s as a %s entry balanced against %s", async (source, kind, counterAccount) => {
    const { reseller } = await postpaidOwing(2);
    const result = await cashReceived(reseller.id, 1_200n, {
      source,
      method: source === "online_payment" ? "card" : "mobile_money",
      reference: "REF-77",
      receivedOn: "2026-03-14",
      note: "paid at the counter",
      paymentReference: source === "online_payment" ? `cs_test_${newKey()}` : null,
    });
    expect(result.entry).toMatchObject({
      kind,
      amount: 1_200n,
      balanceAfter: -800n,
      source,
      externalReference: "REF-77",
      receivedOn: "2026-03-14",
      note: "paid at the counter",
    });
    expect(await journalOf(result.entry.id)).toEqual([
      { account: counterAccount, resellerId: null, amount: 1_200n },
      { account: "reseller_accounts", resellerId: reseller.id, amount: -1_200n },
    ]);
    expect(result.outstandingAfter).toBe(800n);
  });

  it("dates the receipt today when no date is given", async () => {
    const { reseller } = await postpaidOwing(1);
    const { entry } = await cashReceived(reseller.id, 100n);
    expect(entry.receivedOn).toBe(new Date().toISOString().slice(0, 10));
  });

  it("credits one online payment once, even under a second idempotency key", async () => {
    const { reseller } = await postpaidOwing(2);
    const paymentReference = `cs_test_${newKey()}`;
    const online = { source: "online_payment", method: "card", paymentReference } as const;
    await cashReceived(reseller.id, 1_000n, online);
    expect(await failureCode(cashReceived(reseller.id, 1_000n, online))).toBe("PAYMENT_ALREADY_SETTLED");
    const credits = (await ledgerOf(db(), reseller.id)).filter((entry) => entry.paymentReference === paymentReference);
    expect(credits).toHaveLength(1);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(-1_000n);
  });

  it("is for admins only and refuses zero or negative amounts", async () => {
    const { reseller } = await postpaidOwing(1);
    const before = await bookState(db(), reseller.id);
    const byReseller = recordCashReceived(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      amount: 1_000n,
      method: "cash",
      source: "reseller_action",
      idempotencyKey: newKey(),
    });
    expect(await failureCode(byReseller)).toBe("FORBIDDEN");
    expect(await failureCode(cashReceived(reseller.id, 0n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(cashReceived(reseller.id, -500n))).toBe("INVALID_AMOUNT");
    expect(await bookState(db(), reseller.id)).toEqual(before);
  });
});
