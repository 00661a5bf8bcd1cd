import { and, eq, isNull } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { customers, packages, resellerPackageRates, subscriptions, type Reseller, type Subscription } from "@/db/schema";
import { DomainError } from "../errors";
import { assertActsFor, type Actor } from "./actor";
import { runLockedCommand } from "./idempotency";
import { post, type PostingResult } from "./posting";
import { assertCanCharge } from "./rules";

const DAY_MS = 86_400_000;

export type ChargeResult = PostingResult & { subscription: Subscription };

async function customerInScope(tx: Tx, resellerId: string, customerId: string) {
  const [customer] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId)));
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
  if (customer.status !== "active") throw new DomainError("CUSTOMER_SUSPENDED");
  return customer;
}

/** The reseller's rate for a package; a package without a rate is out of scope. */
async function rateInScope(tx: Tx, resellerId: string, packageId: string) {
  const [row] = await tx
    .select({ rate: resellerPackageRates.rate, pkg: packages })
    .from(resellerPackageRates)
    .innerJoin(packages, eq(packages.id, resellerPackageRates.packageId))
    .where(and(eq(resellerPackageRates.resellerId, resellerId), eq(resellerPackageRates.packageId, packageId)));
  if (!row) throw new DomainError("PACKAGE_NOT_IN_SCOPE");
  if (!row.pkg.active) throw new DomainError("PACKAGE_INACTIVE");
  return row;
}

async function charge(
  tx: Tx,
  actor: Actor,
  reseller: Reseller,
  args: { customerId: string; packageId: string; kind: "activation" | "renewal"; startsAt: Date; renews?: string; idempotencyKey: string },
): Promise<ChargeResult> {
  const { rate, pkg } = await rateInScope(tx, reseller.id, args.packageId);
  assertCanCharge(reseller, rate);
  const expiresAt = new Date(args.startsAt.getTime() + pkg.validityDays * DAY_MS);
  const [subscription] = await tx
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
    .returning();
  await tx.update(customers).set({ expiresAt }).where(eq(customers.id, args.customerId));
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
  return runLockedCommand(db, { key: idempotencyKey, command: "activateSubscription", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    const customer = await customerInScope(tx, reseller.id, input.customerId);
    const now = new Date();
    if (customer.expiresAt && customer.expiresAt > now) throw new DomainError("ALREADY_ACTIVE");
    return charge(tx, actor, reseller, { ...input, kind: "activation", startsAt: now });
  });
}

export type RenewInput = { resellerId: string; subscriptionId: string; packageId?: string; idempotencyKey: string };

/** Extends a customer's service from max(now, current expiry) by the package's validity. */
export async function renewSubscription(db: Db, actor: Actor, input: RenewInput) {
  assertActsFor(actor, input.resellerId);
  const { idempotencyKey, ...payload } = input;
  return runLockedCommand(db, { key: idempotencyKey, command: "renewSubscription", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    const [previous] = await tx
      .select()
      .from(subscriptions)
      .where(
        and(
          eq(subscriptions.id, input.subscriptionId),
          eq(subscriptions.resellerId, reseller.id),
          isNull(subscriptions.reversedAt),
        ),
      );
    if (!previous) throw new DomainError("SUBSCRIPTION_NOT_FOUND");
    const customer = await customerInScope(tx, reseller.id, previous.customerId);
    const now = new Date();
    const startsAt = customer.expiresAt && customer.expiresAt > now ? customer.expiresAt : now;
    return charge(tx, actor, reseller, {
      customerId: customer.id,
      packageId: input.packageId ?? previous.packageId,
      kind: "renewal",
      startsAt,
      renews: previous.id,
      idempotencyKey,
    });
  });
}
