import "server-only";
import { and, asc, desc, eq, isNull } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { customers, packages, resellerPackageRates, resellers, subscriptions } from "@/db/schema";
import { chargeRefusal, servicePeriod, type ChargeKind } from "@/lib/billing/rules";
import { DomainError, type ActionError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { outstandingOf } from "@/lib/money";

// The confirm screen of an activation or renewal. It applies the very rules
// the charge commands enforce (lib/billing/rules: chargeRefusal and
// servicePeriod), so it can never promise what the command then refuses.

export type QuoteOption = {
  packageId: string;
  name: string;
  validityDays: number;
  downloadMbps: number;
  uploadMbps: number;
  /** What the reseller is charged (its rate). */
  rate: bigint;
  /** What the customer pays the reseller (the package's list price). */
  customerPrice: bigint;
  startsAt: Date;
  expiresAt: Date;
  balanceAfter: bigint;
  outstandingAfter: bigint;
  /** Whether the charge rule (lib/billing chargeRefusal) allows it right now. */
  allowed: boolean;
  refusal: ActionError | null;
};

export type ActivationQuote = {
  customer: { id: string; username: string; name: string; status: "active" | "suspended"; expiresAt: Date | null };
  /** "renewal" while the customer's service runs (activation would be ALREADY_ACTIVE), else "activation". */
  kind: ChargeKind;
  /** The period a renewal extends (the latest one not reversed), for renewSubscription. */
  renewsSubscriptionId: string | null;
  position: {
    type: "prepaid" | "postpaid";
    status: "active" | "suspended";
    balance: bigint;
    outstanding: bigint;
    collectionLimit: bigint;
    currency: string;
  };
  /** Active packages in the reseller's scope, cheapest rate first. */
  options: QuoteOption[];
  /** The option for `packageId` (or, for a renewal, the current package), if in scope. */
  selected: QuoteOption | null;
};

const packageFieldMessages: Partial<Record<DomainError["code"], string>> = {
  PACKAGE_INACTIVE: "That package is no longer sold.",
  PACKAGE_NOT_IN_SCOPE: "That package is not available to you.",
};

/**
 * What activating (or renewing) would do, for the confirm screen: the
 * packages in scope with the reseller's rate and the customer price, the new
 * period (servicePeriod: from max(now, current expiry)), the balance and
 * outstanding after, and whether the charge rule allows it (chargeRefusal).
 * Reads only; the charge itself is activateSubscription / renewSubscription,
 * which check the same rules again under the reseller lock. A `packageId` the
 * reseller cannot be charged for at all (not in scope, no longer sold) is
 * refused as the command would refuse it.
 */
export async function activationQuote(db: Queryable, resellerId: string, customerId: string, packageId?: string): Promise<ActivationQuote> {
  if (!isUuid(resellerId) || !isUuid(customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  if (packageId !== undefined && !isUuid(packageId)) throw new DomainError("PACKAGE_NOT_IN_SCOPE");
  const [[reseller], [customer], priced, [latest]] = await Promise.all([
    db.select().from(resellers).where(eq(resellers.id, resellerId)),
    db
      .select()
      .from(customers)
      .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId))),
    db
      .select({ rate: resellerPackageRates.rate, pkg: packages })
      .from(resellerPackageRates)
      .innerJoin(packages, eq(packages.id, resellerPackageRates.packageId))
      .where(eq(resellerPackageRates.resellerId, resellerId))
      .orderBy(asc(resellerPackageRates.rate), asc(packages.name)),
    db
      .select({ id: subscriptions.id, packageId: subscriptions.packageId })
      .from(subscriptions)
      .where(and(eq(subscriptions.customerId, customerId), eq(subscriptions.resellerId, resellerId), isNull(subscriptions.reversedAt)))
      .orderBy(desc(subscriptions.expiresAt), desc(subscriptions.createdAt))
      .limit(1),
  ]);
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");

  const now = new Date();
  const running = customer.expiresAt !== null && customer.expiresAt > now;
  const kind: ChargeKind = running && latest ? "renewal" : "activation";

  const options: QuoteOption[] = priced
    .filter((p) => p.pkg.active)
    .map(({ rate, pkg }) => {
      const refused = chargeRefusal({ kind, customer, priced: { rate, pkg }, reseller, now });
      const balanceAfter = reseller.balance - rate;
      return {
        packageId: pkg.id,
        name: pkg.name,
        validityDays: pkg.validityDays,
        downloadMbps: pkg.downloadMbps,
        uploadMbps: pkg.uploadMbps,
        rate,
        customerPrice: pkg.customerPrice,
        ...servicePeriod(customer.expiresAt, pkg.validityDays, now),
        balanceAfter,
        outstandingAfter: outstandingOf(balanceAfter),
        allowed: refused === null,
        refusal: refused && { code: refused.code, message: refused.message },
      };
    });

  let selected: QuoteOption | null = null;
  if (packageId !== undefined) {
    selected = options.find((o) => o.packageId === packageId) ?? null;
    if (!selected) {
      // Not sellable at all: refused in the order the command checks (the customer first, then the package).
      const refused = chargeRefusal({ kind, customer, priced: priced.find((p) => p.pkg.id === packageId), reseller, now })!;
      const field = packageFieldMessages[refused.code];
      throw field ? new DomainError(refused.code, undefined, { packageId: field }) : refused;
    }
  } else if (kind === "renewal" && latest) {
    selected = options.find((o) => o.packageId === latest.packageId) ?? null;
  }

  return {
    customer: { id: customer.id, username: customer.username, name: customer.name, status: customer.status, expiresAt: customer.expiresAt },
    kind,
    renewsSubscriptionId: latest?.id ?? null,
    position: {
      type: reseller.type,
      status: reseller.status,
      balance: reseller.balance,
      outstanding: outstandingOf(reseller.balance),
      collectionLimit: reseller.collectionLimit,
      currency: reseller.currency,
    },
    options,
    selected,
  };
}
