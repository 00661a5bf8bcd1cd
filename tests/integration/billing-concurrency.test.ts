import { describe, expect, it } from "vitest";
import { activateSubscription, addBalance, recordCashReceived, renewSubscription, reverseEntry } from "@/lib/billing";
import {
  adminActor,
  DAY_MS,
  failureCode,
  ledgerOf,
  loadCustomer,
  loadReseller,
  makeChargeableReseller,
  makeCustomers,
  newKey,
  resellerActor,
} from "../support/factories";
import { db } from "../support/fresh-database";

// Every command below runs on its own pooled connection (the test pool has 40),
// so these are real concurrent transactions on one PostgreSQL server.
const RATE = 1_000n;

async function chargeableWithCustomers(options: Parameters<typeof makeChargeableReseller>[1], customerCount: number) {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), options);
  const customers = await makeCustomers(db(), reseller.id, area.id, customerCount);
  const activate = (customerId: string) =>
    activateSubscription(db(), resellerActor(reseller.id), {
      resellerId: reseller.id,
      customerId,
      packageId: pkg.id,
      idempotencyKey: newKey(),
    });
  return { reseller, pkg, customers, activate };
}

/** How many times each outcome occurred ("(succeeded)" or a DomainError code). */
function tally(outcomes: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[outcome] = (counts[outcome] ?? 0) + 1;
  return counts;
}

/** Runs the commands interleaved: one credit after every `every` charges. */
function interleave<T>(charges: (() => Promise<T>)[], credits: (() => Promise<T>)[], every: number): Promise<T>[] {
  const started: Promise<T>[] = [];
  let credit = 0;
  charges.forEach((charge, index) => {
    started.push(charge());
    if ((index + 1) % every === 0 && credit < credits.length) started.push(credits[credit++]!());
  });
  while (credit < credits.length) started.push(credits[credit++]!());
  return started;
}

describe("concurrent charges on one reseller", () => {
  it("200 simultaneous activations on a prepaid balance worth exactly 50: 50 succeed, 150 are INSUFFICIENT_BALANCE", async () => {
    const { reseller, customers, activate } = await chargeableWithCustomers({ rate: RATE, openingBalance: 50n * RATE }, 200);
    const outcomes = await Promise.all(customers.map((customer) => failureCode(activate(customer.id))));

    expect(tally(outcomes)).toEqual({ "(succeeded)": 50, INSUFFICIENT_BALANCE: 150 });
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
    const charges = (await ledgerOf(db(), reseller.id)).filter((entry) => entry.kind === "activation");
    expect(charges).toHaveLength(50);
    // Each charge saw the balance its predecessor left: 49,000, 48,000, … 0, never the same twice.
    expect(charges.map((entry) => entry.balanceAfter)).toEqual(Array.from({ length: 50 }, (_, i) => (49n - BigInt(i)) * RATE));
  });

  it("200 simultaneous activations on a postpaid limit worth exactly 50: 50 succeed, 150 are COLLECTION_LIMIT_REACHED", async () => {
    const { reseller, customers, activate } = await chargeableWithCustomers(
      { type: "postpaid", rate: RATE, collectionLimit: 50n * RATE },
      200,
    );
    const outcomes = await Promise.all(customers.map((customer) => failureCode(activate(customer.id))));

    expect(tally(outcomes)).toEqual({ "(succeeded)": 50, COLLECTION_LIMIT_REACHED: 150 });
    const stored = await loadReseller(db(), reseller.id);
    expect(stored.balance).toBe(-50n * RATE);
    const charges = await ledgerOf(db(), reseller.id);
    expect(charges).toHaveLength(50);
    expect(charges.at(-1)!.balanceAfter).toBe(-50n * RATE);
  });

  it("keeps resellers apart: 10 resellers, 30 simultaneous activations each, balance for 12 each", async () => {
    const setups = await Promise.all(
      Array.from({ length: 10 }, () => chargeableWithCustomers({ rate: RATE, openingBalance: 12n * RATE }, 30)),
    );
    const outcomes = await Promise.all(
      setups.map(async ({ customers, activate }) => Promise.all(customers.map((customer) => failureCode(activate(customer.id))))),
    );
    for (const [index, perReseller] of outcomes.entries()) {
      expect(tally(perReseller)).toEqual({ "(succeeded)": 12, INSUFFICIENT_BALANCE: 18 });
      expect((await loadReseller(db(), setups[index]!.reseller.id)).balance).toBe(0n);
    }
  });
});

describe("charges racing payments", () => {
  it("postpaid: 200 activations racing 30 cash receipts leave an exact balance within the limit", async () => {
    const { reseller, customers, activate } = await chargeableWithCustomers(
      { type: "postpaid", rate: RATE, collectionLimit: 20n * RATE },
      200,
    );
    const pay = () =>
      recordCashReceived(db(), adminActor, {
        resellerId: reseller.id,
        amount: RATE,
        method: "cash",
        source: "accounts_receivable",
        idempotencyKey: newKey(),
      });
    const outcomes = await Promise.all(
      interleave(
        customers.map((customer) => () => failureCode(activate(customer.id))),
        Array.from({ length: 30 }, () => () => failureCode(pay())),
        7,
      ),
    );

    const counts = tally(outcomes);
    const charged = BigInt(counts["(succeeded)"]! - 30);
    expect(counts["(succeeded)"]! + (counts.COLLECTION_LIMIT_REACHED ?? 0)).toBe(230);
    // At least the 20 the limit allowed from the start; at most those plus one per payment.
    expect(charged).toBeGreaterThanOrEqual(20n);
    expect(charged).toBeLessThanOrEqual(50n);
    const balance = (await loadReseller(db(), reseller.id)).balance;
    expect(balance).toBe(30n * RATE - charged * RATE);
    expect(-balance).toBeLessThanOrEqual(20n * RATE);
    const ledger = await ledgerOf(db(), reseller.id);
    expect(ledger.filter((entry) => entry.kind === "activation")).toHaveLength(Number(charged));
    expect(ledger.filter((entry) => entry.kind === "cash_received")).toHaveLength(30);
  });

  it("prepaid: 200 activations racing 40 top-ups never overdraw and end on an exact balance", async () => {
    const { reseller, customers, activate } = await chargeableWithCustomers({ rate: RATE, openingBalance: 10n * RATE }, 200);
    const topUp = () =>
      addBalance(db(), adminActor, { resellerId: reseller.id, amount: RATE, method: "cash", idempotencyKey: newKey() });
    const outcomes = await Promise.all(
      interleave(
        customers.map((customer) => () => failureCode(activate(customer.id))),
        Array.from({ length: 40 }, () => () => failureCode(topUp())),
        5,
      ),
    );

    const counts = tally(outcomes);
    const charged = BigInt(counts["(succeeded)"]! - 40);
    expect(counts["(succeeded)"]! + (counts.INSUFFICIENT_BALANCE ?? 0)).toBe(240);
    expect(charged).toBeGreaterThanOrEqual(10n);
    expect(charged).toBeLessThanOrEqual(50n);
    const balance = (await loadReseller(db(), reseller.id)).balance;
    expect(balance).toBe(10n * RATE + 40n * RATE - charged * RATE);
    expect(balance).toBeGreaterThanOrEqual(0n);
    const ledger = await ledgerOf(db(), reseller.id);
    expect(ledger.every((entry) => entry.balanceAfter >= 0n)).toBe(true);
  });
});

describe("concurrent commands on one customer or entry", () => {
  it("20 simultaneous activations of one customer under different keys: one succeeds, 19 are ALREADY_ACTIVE", async () => {
    const { reseller, customers, activate } = await chargeableWithCustomers({ rate: RATE, openingBalance: 100n * RATE }, 1);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => failureCode(activate(customers[0]!.id))));
    expect(tally(outcomes)).toEqual({ "(succeeded)": 1, ALREADY_ACTIVE: 19 });
    expect((await loadReseller(db(), reseller.id)).balance).toBe(99n * RATE);
  });

  it("15 simultaneous renewals of one subscription with balance for 10: the 10 periods follow each other without overlap", async () => {
    const { reseller, pkg, customers, activate } = await chargeableWithCustomers({ rate: RATE, openingBalance: 11n * RATE }, 1);
    const { subscription } = await activate(customers[0]!.id);
    const renew = () =>
      renewSubscription(db(), resellerActor(reseller.id), {
        resellerId: reseller.id,
        subscriptionId: subscription.id,
        idempotencyKey: newKey(),
      });
    const results = await Promise.allSettled(Array.from({ length: 15 }, renew));
    const renewals = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.subscription] : []));
    const refusals = results.flatMap((result) => (result.status === "rejected" ? [(result.reason as { code: string }).code] : []));

    expect(renewals).toHaveLength(10);
    expect(tally(refusals)).toEqual({ INSUFFICIENT_BALANCE: 5 });
    const periods = [subscription, ...renewals].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    for (let i = 1; i < periods.length; i++) expect(periods[i]!.startsAt).toEqual(periods[i - 1]!.expiresAt);
    const end = periods.at(-1)!.expiresAt;
    expect(end.getTime() - subscription.startsAt.getTime()).toBe(11 * pkg.validityDays * DAY_MS);
    expect((await loadCustomer(db(), customers[0]!.id)).expiresAt).toEqual(end);
  });

  it("10 simultaneous reversals of one charge under different keys: one succeeds, 9 are ALREADY_REVERSED", async () => {
    const { reseller, customers, activate } = await chargeableWithCustomers({ rate: RATE, openingBalance: 5n * RATE }, 1);
    const { entry } = await activate(customers[0]!.id);
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () =>
        failureCode(reverseEntry(db(), adminActor, { entryId: entry.id, reason: "Duplicate activation", idempotencyKey: newKey() })),
      ),
    );
    expect(tally(outcomes)).toEqual({ "(succeeded)": 1, ALREADY_REVERSED: 9 });
    expect((await loadReseller(db(), reseller.id)).balance).toBe(5n * RATE);
  });
});
