import type { Reseller } from "@/db/schema";
import { DomainError, fieldMessages } from "../errors";
import { MAX_MINOR_UNITS, outstandingOf } from "../money";

/**
 * The charge rule. Prepaid: balance − price ≥ 0. Postpaid: the outstanding
 * after the charge may not pass the collection limit in force now.
 */
export function assertCanCharge(reseller: Reseller, price: bigint): void {
  if (reseller.status !== "active") throw new DomainError("RESELLER_SUSPENDED");
  const after = reseller.balance - price;
  if (reseller.type === "prepaid" && after < 0n) throw new DomainError("INSUFFICIENT_BALANCE");
  if (reseller.type === "postpaid" && outstandingOf(after) > reseller.collectionLimit) {
    throw new DomainError("COLLECTION_LIMIT_REACHED");
  }
}

/** Whether the reseller can take a charge of `price` right now (for banners and buttons). */
export function canCharge(reseller: Reseller, price: bigint): boolean {
  try {
    assertCanCharge(reseller, price);
    return true;
  } catch {
    return false;
  }
}

export function assertValidAmount(amount: bigint): void {
  const refuse = (message: string) => new DomainError("INVALID_AMOUNT", message, { amount: message });
  if (amount <= 0n) throw refuse(fieldMessages.amountNotPositive);
  if (amount > MAX_MINOR_UNITS) throw refuse(fieldMessages.amountTooLarge);
}
