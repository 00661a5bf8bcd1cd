import { and, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { customers, packages, resellerPackageRates, subscriptions, type Reseller, type Subscription } from "@/db/schema";
import { DomainError } from "../errors";
import { assertActsFor, type Actor } from "./actor";
import { runMoneyCommand } from "./idempotency";
import { post, type PostingResult } from "./posting";
import { assertCanCharge } from "./rules";

const DAY_MS = 86_400_000;

export type ChargeResult = PostingResult & { subscription: Subscription };

function findCustomer(tx: Tx, resellerId: string, customerId: string) {
  return tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId)))
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
 * round trip), then checks them in a fixed order: customer first, then package.
 */
async function customerAndRate(tx: Tx, resellerId: string, customerId: string, packageId: string, kind: "activation" | "renewal") {
  const [[customer], [priced]] = await Promise.all([findCustomer(tx, resellerId, customerId), findRate(tx, resellerId, packageId)]);
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
  if (customer.status !== "active") throw new DomainError("CUSTOMER_SUSPENDED");
  if (kind === "activation" && customer.expiresAt && customer.expiresAt > new Date()) throw new DomainError("ALREADY_ACTIVE");
  if (!priced) throw new DomainError("PACKAGE_NOT_IN_SCOPE");
  if (!priced.pkg.active) throw new DomainError("PACKAGE_INACTIVE");
  return { customer, priced };
}

async function charge(
  tx: Tx,
  actor: Actor,
  reseller: Reseller,
  { rate, pkg }: PricedPackage,
  args: { customerId: string; kind: "activation" | "renewal"; startsAt: Date; renews?: string; idempotencyKey: string },
): Promise<ChargeResult> {
  assertCanCharge(reseller, rate);
  const expiresAt = new Date(args.startsAt.getTime() + pkg.validityDays * DAY_MS);
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
        startsAt: args.startsAt,
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
  return { ...posted, subscription: subscription! };
}

export type ActivateInput = { resellerId: string; customerId: string; packageId: string; idempotencyKey: string };

/** Starts a package for a customer now, charging the reseller's rate. */
export async function activateSubscription(db: Db, actor: Actor, input: ActivateInput) {
  assertActsFor(actor, input.resellerId);
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "activateSubscription", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    const { priced } = await customerAndRate(tx, reseller.id, input.customerId, input.packageId, "activation");
    return charge(tx, actor, reseller, priced, { ...input, kind: "activation", startsAt: new Date() });
  });
}

export type RenewInput = { resellerId: string; subscriptionId: string; packageId?: string; idempotencyKey: string };

/** Extends a customer's service from max(now, current expiry) by the package's validity. */
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
    const { customer, priced } = await customerAndRate(tx, reseller.id, previous.customerId, packageId, "renewal");
    const now = new Date();
    const startsAt = customer.expiresAt && customer.expiresAt > now ? customer.expiresAt : now;
    return charge(tx, actor, reseller, priced, {
      customerId: customer.id,
      kind: "renewal",
      startsAt,
      renews: previous.id,
      idempotencyKey,
    });
  });
}
