import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customers, packages, resellers } from "@/db/schema";
import { activateSubscription, renewSubscription } from "@/lib/billing";
import { activationQuote } from "@/lib/portal/quote";
import {
  daysFromNow,
  failureCode,
  makeChargeableReseller,
  makeCustomer,
  makePackage,
  newKey,
  resellerActor,
  reprovisionRadius,
} from "../support/factories";
import { db } from "../support/fresh-database";

type Setup = Awaited<ReturnType<typeof makeChargeableReseller>> & { customerId: string; packageId: string };

/** A prepaid reseller with 5,000 and one package at 1,000, and one customer never activated. */
async function start(options: Partial<Parameters<typeof makeChargeableReseller>[1]> = {}): Promise<Setup> {
  const setup = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 5_000n, ...options });
  const customer = await makeCustomer(db(), setup.reseller.id, setup.area.id);
  return { ...setup, customerId: customer.id, packageId: setup.pkg.id };
}

/** A charge already made for the customer (its service runs for 30 days). */
async function activated(s: Setup) {
  await activateSubscription(db(), resellerActor(s.reseller.id), { resellerId: s.reseller.id, customerId: s.customerId, packageId: s.packageId, idempotencyKey: newKey() });
}

/**
 * What the confirm screen says about charging `packageId` (its refusal code,
 * "(allowed)", or the code it is refused with outright), and what the command
 * the screen would submit (activate or renew, per the quote's kind) then does.
 */
async function quoteAndCommand(s: Setup) {
  const actor = resellerActor(s.reseller.id);
  const quote = await activationQuote(db(), s.reseller.id, s.customerId, s.packageId).catch((error: { code: string }) => error);
  const quoted = "code" in quote ? quote.code : (quote.selected!.refusal?.code ?? "(allowed)");
  const kind = "code" in quote ? "activation" : quote.kind;
  const command =
    kind === "renewal"
      ? renewSubscription(db(), actor, { resellerId: s.reseller.id, subscriptionId: (quote as { renewsSubscriptionId: string }).renewsSubscriptionId, packageId: s.packageId, idempotencyKey: newKey() })
      : activateSubscription(db(), actor, { resellerId: s.reseller.id, customerId: s.customerId, packageId: s.packageId, idempotencyKey: newKey() });
  const done = await failureCode(command);
  return { quoted, done: done === "(succeeded)" ? "(allowed)" : done, kind };
}

const refusalCases: { name: string; expected: string; kind?: "activation" | "renewal"; arrange: () => Promise<Setup> }[] = [
  { name: "an allowed activation", expected: "(allowed)", arrange: () => start() },
  {
    name: "an allowed renewal of running service",
    expected: "(allowed)",
    kind: "renewal",
    arrange: async () => {
      const s = await start();
      await activated(s);
      return s;
    },
  },
  { name: "a prepaid balance too low", expected: "INSUFFICIENT_BALANCE", arrange: () => start({ openingBalance: 999n }) },
  {
    name: "a prepaid balance too low for a renewal",
    expected: "INSUFFICIENT_BALANCE",
    kind: "renewal",
    arrange: async () => {
      const s = await start({ openingBalance: 1_500n });
      await activated(s);
      return s;
    },
  },
  { name: "a postpaid collection limit reached", expected: "COLLECTION_LIMIT_REACHED", arrange: () => start({ type: "postpaid", openingBalance: undefined, collectionLimit: 999n }) },
  {
    name: "a suspended reseller",
    expected: "RESELLER_SUSPENDED",
    arrange: async () => {
      const s = await start();
      await db().update(resellers).set({ status: "suspended" }).where(eq(resellers.id, s.reseller.id));
      await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
      return s;
    },
  },
  {
    name: "a suspended customer",
    expected: "CUSTOMER_SUSPENDED",
    arrange: async () => {
      const s = await start();
      await db().update(customers).set({ status: "suspended" }).where(eq(customers.id, s.customerId));
      await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
      return s;
    },
  },
  {
    name: "a suspended customer and a package out of scope (the customer is checked first)",
    expected: "CUSTOMER_SUSPENDED",
    arrange: async () => {
      const s = await start();
      await db().update(customers).set({ status: "suspended" }).where(eq(customers.id, s.customerId));
      await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
      return { ...s, packageId: (await makePackage(db())).id };
    },
  },
  { name: "a package out of scope", expected: "PACKAGE_NOT_IN_SCOPE", arrange: async () => ({ ...(await start()), packageId: (await makePackage(db())).id }) },
  {
    name: "a package no longer sold",
    expected: "PACKAGE_INACTIVE",
    arrange: async () => {
      const s = await start();
      await db().update(packages).set({ active: false }).where(eq(packages.id, s.packageId));
      return s;
    },
  },
  {
    name: "running service without a subscription to renew (imported with an expiry)",
    expected: "ALREADY_ACTIVE",
    arrange: async () => {
      const s = await start();
      await db().update(customers).set({ expiresAt: daysFromNow(10) }).where(eq(customers.id, s.customerId));
      await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
      return s;
    },
  },
];

describe("the activation quote and the charge commands agree", () => {
  for (const c of refusalCases) {
    it(`on ${c.name}: ${c.expected}`, async () => {
      const s = await c.arrange();
      const { quoted, done, kind } = await quoteAndCommand(s);
      expect({ quoted, done }).toEqual({ quoted: c.expected, done: c.expected });
      expect(kind).toBe(c.kind ?? "activation");
    });
  }

  it("promise the same period: a renewal ends exactly where the quote said", async () => {
    const s = await start();
    await activated(s);
    const quote = await activationQuote(db(), s.reseller.id, s.customerId);
    const renewed = await renewSubscription(db(), resellerActor(s.reseller.id), { resellerId: s.reseller.id, subscriptionId: quote.renewsSubscriptionId!, idempotencyKey: newKey() });
    expect(renewed.subscription.startsAt).toEqual(quote.selected!.startsAt);
    expect(renewed.subscription.expiresAt).toEqual(quote.selected!.expiresAt);
    expect(renewed.balanceAfter).toBe(quote.selected!.balanceAfter);
  });

  it("an expired customer is quoted and charged from now, not from its old expiry", async () => {
    const s = await start();
    await db().update(customers).set({ expiresAt: daysFromNow(-5) }).where(eq(customers.id, s.customerId));
    await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
    const before = Date.now();
    const quote = await activationQuote(db(), s.reseller.id, s.customerId, s.packageId);
    expect(quote.kind).toBe("activation");
    expect(quote.selected!.startsAt.getTime()).toBeGreaterThanOrEqual(before);
    const charged = await activateSubscription(db(), resellerActor(s.reseller.id), { resellerId: s.reseller.id, customerId: s.customerId, packageId: s.packageId, idempotencyKey: newKey() });
    const validity = quote.selected!.expiresAt.getTime() - quote.selected!.startsAt.getTime();
    expect(charged.subscription.expiresAt.getTime() - charged.subscription.startsAt.getTime()).toBe(validity);
    expect(charged.subscription.startsAt.getTime()).toBeGreaterThanOrEqual(quote.selected!.startsAt.getTime());
  });
});
