import type { Reseller } from "@/db/schema";
import { DAY_MS } from "@/lib/dates";
import { DomainError, fieldMessages } from "@/lib/errors";
import { MAX_MINOR_UNITS, outstandingOf } from "@/lib/money";

// The billing rules as pure functions: the charge commands (lib/billing/charges)
// enforce them under the reseller lock, and the confirm screen's quote
// (lib/portal/quote) shows them, from this one place.

type Position = Pick<Reseller, "status" | "type" | "balance" | "collectionLimit">;

/** Why the reseller's position refuses a charge of `price` right now, or null. */
function positionRefusal(reseller: Position, price: bigint): DomainError | null {
  if (reseller.status !== "active") return new DomainError("RESELLER_SUSPENDED");
  const after = reseller.balance - price;
  if (reseller.type === "prepaid" && after < 0n) return new DomainError("INSUFFICIENT_BALANCE");
  if (reseller.type === "postpaid" && outstandingOf(after) > reseller.collectionLimit) return new DomainError("COLLECTION_LIMIT_REACHED");
  return null;
}

/**
 * The charge rule. Prepaid: balance − price ≥ 0. Postpaid: the outstanding
 * after the charge may not pass the collection limit in force now.
 */
export function assertCanCharge(reseller: Position, price: bigint): void {
  const refusal = positionRefusal(reseller, price);
  if (refusal) throw refusal;
}

/** Whether the reseller can take a charge of `price` right now (for banners and buttons). */
export function canCharge(reseller: Position, price: bigint): boolean {
  return positionRefusal(reseller, price) === null;
}

export type ChargeKind = "activation" | "renewal";

/** What a charge is checked against: the customer, the package as the reseller's scope prices it, the reseller. */
export type ChargeCheck = {
  kind: ChargeKind;
  customer: { status: "active" | "suspended"; expiresAt: Date | null };
  /** The package with the reseller's rate; undefined when the package is not in the reseller's scope. */
  priced: { rate: bigint; pkg: { active: boolean } } | undefined;
  reseller: Position;
  now?: Date;
};

/**
 * Why a charge would be refused, or null: in a fixed order, the customer
 * (suspended; for an activation, service still running), then the package
 * (out of scope, no longer sold), then the reseller's position (suspended,
 * prepaid balance, postpaid collection limit).
 */
export function chargeRefusal({ kind, customer, priced, reseller, now = new Date() }: ChargeCheck): DomainError | null {
  if (customer.status !== "active") return new DomainError("CUSTOMER_SUSPENDED");
  if (kind === "activation" && customer.expiresAt && customer.expiresAt > now) return new DomainError("ALREADY_ACTIVE");
  if (!priced) return new DomainError("PACKAGE_NOT_IN_SCOPE");
  if (!priced.pkg.active) return new DomainError("PACKAGE_INACTIVE");
  return positionRefusal(reseller, priced.rate);
}

export function assertChargeAllowed(check: ChargeCheck): void {
  const refusal = chargeRefusal(check);
  if (refusal) throw refusal;
}

/**
 * The period a charge buys: from max(now, the customer's current expiry) for
 * the package's validity. An activation (never, or no longer, running) starts
 * now; a renewal of running service starts when it ends.
 */
export function servicePeriod(currentExpiry: Date | null, validityDays: number, now: Date = new Date()): { startsAt: Date; expiresAt: Date } {
  const startsAt = currentExpiry && currentExpiry > now ? currentExpiry : now;
  return { startsAt, expiresAt: new Date(startsAt.getTime() + validityDays * DAY_MS) };
}

export function assertValidAmount(amount: bigint): void {
  const refuse = (message: string) => new DomainError("INVALID_AMOUNT", message, { amount: message });
  if (amount <= 0n) throw refuse(fieldMessages.amountNotPositive);
  if (amount > MAX_MINOR_UNITS) throw refuse(fieldMessages.amountTooLarge);
}
