import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { customers, packages, resellerPackageRates, subscriptions, type Reseller, type Subscription } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import { provisionCustomers } from "@/lib/radius/provision";
import { assertActsFor, type Actor } from "./actor";
import { runMoneyCommand } from "./idempotency";
import { post, postingSummary, type PostingResult, type PostingSummary } from "./posting";
import { assertChargeAllowed, servicePeriod, type ChargeKind } from "./rules";

export type ChargeResult = PostingResult & { subscription: Subscription };

/** What the confirm form shows after a charge: the new period, the price and the position before and after. */
export type ChargeSummary = PostingSummary & { subscriptionId: string; startsAt: Date; expiresAt: Date; priceCharged: bigint };

export function chargeSummary(r: ChargeResult & { replayed: boolean }): ChargeSummary {
  return {
    ...postingSummary(r),
    subscriptionId: r.subscription.id,
    startsAt: r.subscription.startsAt,
    expiresAt: r.subscription.expiresAt,
    priceCharged: r.subscription.priceCharged,
  };
}

/**
 * The customer, locked FOR UPDATE after the reseller row (the one lock order):
 * a suspension in progress finishes first and the charge sees it; a
 * suspension that starts later waits for the charge.
 */
function findCustomer(tx: Tx, resellerId: string, customerId: string) {
  return tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId)))
    .for("update")
    .prepare("billing_customer_in_scope")
    .execute();
}

/** The reseller's rate for a package; a package without a rate is out of scope. */
function findRate(tx: Tx, resellerId: string, packageId: string) {
  return tx
    .select({ rate: resellerPackageRates.rate, pkg: packages })
    .from(resellerPackageRates)
    .innerJoin(packages, eq(packages.id, resellerPackageRates.packageId))
    .where(and(eq(resellerPackageRates.resellerId, resellerId), eq(resellerPackageRates.packageId, packageId)))
    .prepare("billing_rate_in_scope")
    .execute();
}

type PricedPackage = Awaited<ReturnType<typeof findRate>>[number];

/**
 * Reads the customer and the rate together (two independent reads in one
 * round trip), checks the charge with the one rule check (chargeRefusal: the
 * customer, the package, then the reseller's position) and works out the
 * period it buys, as the confirm screen's quote does.
 */
async function checkCharge(tx: Tx, reseller: Reseller, customerId: string, packageId: string, kind: ChargeKind) {
  const [[customer], [priced]] = await Promise.all([findCustomer(tx, reseller.id, customerId), findRate(tx, reseller.id, packageId)]);
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
  const now = new Date();
  assertChargeAllowed({ kind, customer, priced, reseller, now });
  return { customer, priced: priced!, period: servicePeriod(customer.expiresAt, priced!.pkg.validityDays, now) };
}

async function charge(
  tx: Tx,
  actor: Actor,
  reseller: Reseller,
  { rate, pkg }: PricedPackage,
  args: { customerId: string; kind: ChargeKind; period: { startsAt: Date; expiresAt: Date }; renews?: string; idempotencyKey: string },
): Promise<ChargeResult> {
  const { startsAt, expiresAt } = args.period;
  // Independent writes, sent together.
  const [[subscription]] = await Promise.all([
    tx
      .insert(subscriptions)
      .values({
        customerId: args.customerId,
        resellerId: reseller.id,
        packageId: pkg.id,
        kind: args.kind,
        renewsSubscriptionId: args.renews ?? null,
        startsAt,
        expiresAt,
        priceCharged: rate,
        customerPrice: pkg.customerPrice,
      })
      .returning()
      .prepare("billing_insert_subscription")
      .execute(),
    tx.update(customers).set({ expiresAt }).where(eq(customers.id, args.customerId)).prepare("billing_customer_expiry").execute(),
  ]);
  const posted = await post(
    tx,
    actor,
    reseller,
    {
      kind: args.kind,
      amount: -rate,
      customerId: args.customerId,
      subscriptionId: subscription!.id,
      note: `${pkg.name} until ${expiresAt.toISOString().slice(0, 10)}`,
      idempotencyKey: args.idempotencyKey,
      counterAccount: "revenue",
    },
    `billing.${args.kind}`,
  );
  // The customer's RADIUS rows (password, expiry, package group) in the same transaction as the charge.
  await provisionCustomers(tx, { customerId: args.customerId });
  return { ...posted, subscription: subscription! };
}

export type ActivateInput = { resellerId: string; customerId: string; packageId: string; idempotencyKey: string };

/** Starts a package for a customer now, charging the reseller's rate. */
export async function activateSubscription(db: Db, actor: Actor, input: ActivateInput) {
  assertActsFor(actor, input.resellerId);
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "activateSubscription", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    const { priced, period } = await checkCharge(tx, reseller, input.customerId, input.packageId, "activation");
    return charge(tx, actor, reseller, priced, { customerId: input.customerId, kind: "activation", period, idempotencyKey });
  });
}

export type RenewInput = { resellerId: string; subscriptionId: string; packageId?: string; idempotencyKey: string };

/** Extends a customer's service from max(now, current expiry) by the package's validity (servicePeriod). */
export async function renewSubscription(db: Db, actor: Actor, input: RenewInput) {
  assertActsFor(actor, input.resellerId);
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "renewSubscription", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    const [previous] = await tx
      .select()
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.id, input.subscriptionId),
          eq(subscriptions.resellerId, reseller.id),
          isNull(subscriptions.reversedAt),
        ),
      )
      .prepare("billing_subscription_to_renew")
      .execute();
    if (!previous) throw new DomainError("SUBSCRIPTION_NOT_FOUND");
    const packageId = input.packageId ?? previous.packageId;
    const { customer, priced, period } = await checkCharge(tx, reseller, previous.customerId, packageId, "renewal");
    return charge(tx, actor, reseller, priced, { customerId: customer.id, kind: "renewal", period, renews: previous.id, idempotencyKey });
  });
}
