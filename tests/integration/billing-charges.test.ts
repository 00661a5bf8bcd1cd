import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { packages, resellerPackageRates, resellers } from "@/db/schema";
import { activateSubscription, renewSubscription, type Actor } from "@/lib/billing";
import {
  adminActor,
  bookState,
  DAY_MS,
  failureCode,
  ledgerOf,
  loadCustomer,
  loadReseller,
  makeChargeableReseller,
  makeCustomer,
  makePackage,
  newKey,
  resellerActor,
  subscriptionsOf,
  reprovisionRadius,
} from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";

type Ids = { id: string };

function activate(reseller: Ids, pkg: Ids, customer: Ids, actor: Actor = resellerActor(reseller.id)) {
  return activateSubscription(db(), actor, {
    resellerId: reseller.id,
    customerId: customer.id,
    packageId: pkg.id,
    idempotencyKey: newKey(),
  });
}

function renew(reseller: Ids, subscription: Ids, packageId?: string) {
  return renewSubscription(db(), resellerActor(reseller.id), {
    resellerId: reseller.id,
    subscriptionId: subscription.id,
    ...(packageId ? { packageId } : {}),
    idempotencyKey: newKey(),
  });
}

/** A reseller ready to charge, plus `customers` customers of its own. */
async function setup(options: Parameters<typeof makeChargeableReseller>[1], customers = 1) {
  const made = await makeChargeableReseller(db(), options);
  const list = [];
  for (let i = 0; i < customers; i++) list.push(await makeCustomer(db(), made.reseller.id, made.area.id));
  return { ...made, customers: list };
}

describe("prepaid charge rule: balance - price >= 0", () => {
  it("succeeds when the balance exactly equals the rate, leaving zero", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_500n, openingBalance: 1_500n });
    const result = await activate(reseller, pkg, customers[0]!);
    expect(result.balanceBefore).toBe(1_500n);
    expect(result.balanceAfter).toBe(0n);
    expect(result.entry.balanceAfter).toBe(0n);
    expect(result.entry.amount).toBe(-1_500n);
    expect(result.entry.kind).toBe("activation");
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
  });

  it("refuses a balance one minor unit short with INSUFFICIENT_BALANCE and posts nothing", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_500n, openingBalance: 1_499n });
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(activate(reseller, pkg, customers[0]!))).toBe("INSUFFICIENT_BALANCE");
    expect(await bookState(db(), reseller.id)).toEqual(before);
    expect(before.balance).toBe(1_499n);
    expect((await loadCustomer(db(), customers[0]!.id)).expiresAt).toBeNull();
  });

  it("refuses at zero balance, after the last affordable charge", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 2_000n }, 3);
    await activate(reseller, pkg, customers[0]!);
    await activate(reseller, pkg, customers[1]!);
    expect(await failureCode(activate(reseller, pkg, customers[2]!))).toBe("INSUFFICIENT_BALANCE");
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
    expect(await ledgerOf(db(), reseller.id)).toHaveLength(3); // opening credit + two charges
  });

  it("refuses a renewal the balance cannot cover", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 1_999n });
    const { subscription } = await activate(reseller, pkg, customers[0]!);
    expect(await failureCode(renew(reseller, subscription))).toBe("INSUFFICIENT_BALANCE");
    expect((await loadReseller(db(), reseller.id)).balance).toBe(999n);
  });
});

describe("postpaid charge rule: outstanding after <= collection limit", () => {
  it("succeeds when the outstanding lands exactly on the limit", async () => {
    const { reseller, pkg, customers } = await setup({ type: "postpaid", rate: 1_000n, collectionLimit: 3_000n }, 3);
    for (const customer of customers) await activate(reseller, pkg, customer);
    const stored = await loadReseller(db(), reseller.id);
    expect(stored.balance).toBe(-3_000n);
    const last = (await ledgerOf(db(), reseller.id)).at(-1)!;
    expect(last.balanceAfter).toBe(-3_000n);
    expect(last.collectionLimit).toBe(3_000n);
    expect(last.resellerType).toBe("postpaid");
  });

  it("refuses a charge that would pass the limit by one minor unit with COLLECTION_LIMIT_REACHED", async () => {
    const { reseller, pkg, customers } = await setup({ type: "postpaid", rate: 1_000n, collectionLimit: 2_999n }, 3);
    await activate(reseller, pkg, customers[0]!);
    await activate(reseller, pkg, customers[1]!);
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(activate(reseller, pkg, customers[2]!))).toBe("COLLECTION_LIMIT_REACHED");
    expect(await bookState(db(), reseller.id)).toEqual(before);
    expect(before.balance).toBe(-2_000n);
  });

  it("lets a postpaid reseller spend a credit balance down to exactly the limit", async () => {
    const { reseller, pkg, customers } = await setup(
      { type: "postpaid", rate: 1_500n, collectionLimit: 1_000n, openingBalance: 500n },
      2,
    );
    const result = await activate(reseller, pkg, customers[0]!);
    expect(result.outstandingBefore).toBe(0n);
    expect(result.outstandingAfter).toBe(1_000n);
    expect(await failureCode(activate(reseller, pkg, customers[1]!))).toBe("COLLECTION_LIMIT_REACHED");
  });

  it("refuses every charge when the limit is zero and nothing is prepaid", async () => {
    const { reseller, pkg, customers } = await setup({ type: "postpaid", rate: 1n, collectionLimit: 0n });
    expect(await failureCode(activate(reseller, pkg, customers[0]!))).toBe("COLLECTION_LIMIT_REACHED");
  });
});

describe("scope and permissions", () => {
  it("refuses a suspended reseller with RESELLER_SUSPENDED, whatever its balance", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 1_000_000n });
    await db().update(resellers).set({ status: "suspended" }).where(eq(resellers.id, reseller.id));
    await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(activate(reseller, pkg, customers[0]!))).toBe("RESELLER_SUSPENDED");
    expect(await failureCode(activate(reseller, pkg, customers[0]!, adminActor))).toBe("RESELLER_SUSPENDED");
    expect(await bookState(db(), reseller.id)).toEqual(before);
  });

  it("refuses a package the reseller has no rate for with PACKAGE_NOT_IN_SCOPE", async () => {
    const { reseller, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const unpriced = await makePackage(db());
    const before = await bookState(db(), reseller.id);
    expect(await failureCode(activate(reseller, unpriced, customers[0]!))).toBe("PACKAGE_NOT_IN_SCOPE");
    expect(await bookState(db(), reseller.id)).toEqual(before);
  });

  it("refuses a package priced only for another reseller with PACKAGE_NOT_IN_SCOPE", async () => {
    const mine = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const theirs = await setup({ rate: 1_000n, openingBalance: 10_000n });
    expect(await failureCode(activate(mine.reseller, theirs.pkg, mine.customers[0]!))).toBe("PACKAGE_NOT_IN_SCOPE");
  });

  it("refuses a package that is no longer sold with PACKAGE_INACTIVE", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    await db().update(packages).set({ active: false }).where(eq(packages.id, pkg.id));
    expect(await failureCode(activate(reseller, pkg, customers[0]!))).toBe("PACKAGE_INACTIVE");
  });

  it("treats another reseller's customer as CUSTOMER_NOT_FOUND and posts nothing", async () => {
    const mine = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const theirs = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const mineBefore = await bookState(db(), mine.reseller.id);
    const theirsBefore = await bookState(db(), theirs.reseller.id);
    expect(await failureCode(activate(mine.reseller, mine.pkg, theirs.customers[0]!))).toBe("CUSTOMER_NOT_FOUND");
    expect(await failureCode(activate(mine.reseller, mine.pkg, theirs.customers[0]!, adminActor))).toBe("CUSTOMER_NOT_FOUND");
    expect(await bookState(db(), mine.reseller.id)).toEqual(mineBefore);
    expect(await bookState(db(), theirs.reseller.id)).toEqual(theirsBefore);
  });

  it("refuses a renewal of another reseller's subscription with SUBSCRIPTION_NOT_FOUND", async () => {
    const mine = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const theirs = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const { subscription } = await activate(theirs.reseller, theirs.pkg, theirs.customers[0]!);
    expect(await failureCode(renew(mine.reseller, subscription, mine.pkg.id))).toBe("SUBSCRIPTION_NOT_FOUND");
  });

  it("refuses a reseller actor acting for another reseller with FORBIDDEN", async () => {
    const mine = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const theirs = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const before = await bookState(db(), theirs.reseller.id);
    const intruder = resellerActor(mine.reseller.id);
    expect(await failureCode(activate(theirs.reseller, theirs.pkg, theirs.customers[0]!, intruder))).toBe("FORBIDDEN");
    const { subscription } = await activate(theirs.reseller, theirs.pkg, theirs.customers[0]!);
    const renewal = renewSubscription(db(), intruder, { resellerId: theirs.reseller.id, subscriptionId: subscription.id, idempotencyKey: newKey() });
    expect(await failureCode(renewal)).toBe("FORBIDDEN");
    expect((await bookState(db(), theirs.reseller.id)).ledger_entries).toBe((before.ledger_entries as number) + 1);
  });

  it("refuses a suspended customer with CUSTOMER_SUSPENDED", async () => {
    const { reseller, pkg, area } = await setup({ rate: 1_000n, openingBalance: 10_000n }, 0);
    const customer = await makeCustomer(db(), reseller.id, area.id, { status: "suspended" });
    expect(await failureCode(activate(reseller, pkg, customer))).toBe("CUSTOMER_SUSPENDED");
  });

  it("refuses a second activation while the customer's service is running with ALREADY_ACTIVE", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    await activate(reseller, pkg, customers[0]!);
    expect(await failureCode(activate(reseller, pkg, customers[0]!))).toBe("ALREADY_ACTIVE");
    expect((await loadReseller(db(), reseller.id)).balance).toBe(9_000n);
  });

  it("refuses an unknown reseller with RESELLER_NOT_FOUND", async () => {
    const { pkg, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const ghost = { id: "00000000-0000-4000-8000-000000000000" };
    expect(await failureCode(activate(ghost, pkg, customers[0]!, adminActor))).toBe("RESELLER_NOT_FOUND");
  });
});

describe("activation and renewal periods", () => {
  afterEach(() => vi.useRealTimers());

  it("activates from now for the package's validity and records the expiry on the customer", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const before = Date.now();
    const { subscription } = await activate(reseller, pkg, customers[0]!);
    const after = Date.now();
    expect(subscription.kind).toBe("activation");
    expect(subscription.startsAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(subscription.startsAt.getTime()).toBeLessThanOrEqual(after);
    expect(subscription.expiresAt.getTime() - subscription.startsAt.getTime()).toBe(pkg.validityDays * DAY_MS);
    expect((await loadCustomer(db(), customers[0]!.id)).expiresAt).toEqual(subscription.expiresAt);
  });

  it("renews a running service from its current expiry, not from now", async () => {
    const { reseller, pkg: monthly, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    const weekly = await makePackage(db(), { validityDays: 7 });
    await db().insert(resellerPackageRates).values({ resellerId: reseller.id, packageId: weekly.id, rate: 300n });
    const customer = customers[0]!;
    expect(monthly.validityDays).toBe(30);
    const { subscription: first } = await activate(reseller, monthly, customer);

    const sameTerms = await renew(reseller, first);
    expect(sameTerms.subscription.kind).toBe("renewal");
    expect(sameTerms.subscription.renewsSubscriptionId).toBe(first.id);
    expect(sameTerms.subscription.startsAt).toEqual(first.expiresAt);
    expect(sameTerms.subscription.expiresAt.getTime()).toBe(first.expiresAt.getTime() + 30 * DAY_MS);

    const switched = await renew(reseller, sameTerms.subscription, weekly.id);
    expect(switched.subscription.packageId).toBe(weekly.id);
    expect(switched.subscription.startsAt).toEqual(sameTerms.subscription.expiresAt);
    expect(switched.subscription.expiresAt.getTime()).toBe(first.expiresAt.getTime() + 37 * DAY_MS);
    expect(switched.entry.amount).toBe(-300n);
    expect(switched.entry.kind).toBe("renewal");
    expect((await loadCustomer(db(), customer.id)).expiresAt).toEqual(switched.subscription.expiresAt);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(10_000n - 1_000n - 1_000n - 300n);
  });

  it("renews an expired service from now", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    // Activate 40 days ago (only JavaScript's clock moves; timers keep running).
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 40 * DAY_MS });
    const { subscription: lapsed } = await activate(reseller, pkg, customers[0]!);
    vi.useRealTimers();
    expect(lapsed.expiresAt.getTime()).toBeLessThan(Date.now());

    const before = Date.now();
    const { subscription } = await renew(reseller, lapsed);
    const after = Date.now();
    expect(subscription.startsAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(subscription.startsAt.getTime()).toBeLessThanOrEqual(after);
    expect(subscription.startsAt.getTime()).toBeGreaterThan(lapsed.expiresAt.getTime());
    expect(subscription.expiresAt.getTime() - subscription.startsAt.getTime()).toBe(30 * DAY_MS);
  });

  it("allows a fresh activation once the previous service has expired", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_000n, openingBalance: 10_000n });
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 31 * DAY_MS });
    await activate(reseller, pkg, customers[0]!);
    vi.useRealTimers();
    const { subscription } = await activate(reseller, pkg, customers[0]!);
    expect(subscription.kind).toBe("activation");
    expect(await subscriptionsOf(db(), customers[0]!.id)).toHaveLength(2);
  });
});

describe("the price charged is the rate in force, copied onto the charge", () => {
  it("charges the reseller's rate, not the customer price, and keeps it after a rate change", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_500n, openingBalance: 100_000n });
    expect(pkg.customerPrice).toBe(2_000n);
    const first = await activate(reseller, pkg, customers[0]!);
    expect(first.subscription.priceCharged).toBe(1_500n);
    expect(first.subscription.customerPrice).toBe(2_000n);
    expect(first.entry.amount).toBe(-1_500n);

    // Edited in place (the app replaces a reseller's rates as a whole), so as the owner of the tables.
    await ownerDb()
      .db.update(resellerPackageRates)
      .set({ rate: 9_999n })
      .where(eq(resellerPackageRates.resellerId, reseller.id));
    await db().update(packages).set({ customerPrice: 12_000n }).where(eq(packages.id, pkg.id));

    const [storedSubscription] = await subscriptionsOf(db(), customers[0]!.id);
    expect(storedSubscription!.priceCharged).toBe(1_500n);
    expect(storedSubscription!.customerPrice).toBe(2_000n);
    const storedCharge = (await ledgerOf(db(), reseller.id)).find((entry) => entry.id === first.entry.id)!;
    expect(storedCharge.amount).toBe(-1_500n);
    expect(storedCharge.balanceAfter).toBe(100_000n - 1_500n);

    const renewal = await renew(reseller, first.subscription);
    expect(renewal.subscription.priceCharged).toBe(9_999n);
    expect(renewal.subscription.customerPrice).toBe(12_000n);
    expect(renewal.entry.amount).toBe(-9_999n);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(100_000n - 1_500n - 9_999n);
  });

  it("records who charged, the customer, the subscription and a readable note on the entry", async () => {
    const { reseller, pkg, customers } = await setup({ rate: 1_500n, openingBalance: 10_000n });
    const actor = { ...resellerActor(reseller.id), label: "Counter clerk" };
    const { entry, subscription } = await activate(reseller, pkg, customers[0]!, actor);
    expect(entry).toMatchObject({
      resellerId: reseller.id,
      kind: "activation",
      customerId: customers[0]!.id,
      subscriptionId: subscription.id,
      actorLabel: "Counter clerk",
      resellerType: "prepaid",
    });
    expect(entry.note).toContain(pkg.name);
    expect(entry.note).toContain(subscription.expiresAt.toISOString().slice(0, 10));
  });
});
