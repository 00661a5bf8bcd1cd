import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { resellers, type ResellerType } from "@/db/schema";
import { recordAudit } from "../audit";
import { DomainError } from "../errors";
import { MAX_MINOR_UNITS, outstandingOf } from "../money";
import { assertAdmin, type Actor } from "./actor";
import { runMoneyCommand } from "./idempotency";

export type TermsResult = { resellerId: string; type: ResellerType; collectionLimit: bigint; outstanding: bigint; blocked: boolean };

/**
 * Sets a postpaid reseller's collection limit. Lowering it below today's
 * outstanding blocks new charges; it never rewrites history (each ledger
 * entry keeps the limit that was in force when it was written).
 */
export async function setCollectionLimit(
  db: Db,
  actor: Actor,
  input: { resellerId: string; collectionLimit: bigint; idempotencyKey: string },
) {
  assertAdmin(actor);
  if (input.collectionLimit < 0n || input.collectionLimit > MAX_MINOR_UNITS) {
    const message = "The collection limit must be between zero and 10^15 minor units.";
    throw new DomainError("INVALID_AMOUNT", message, { collectionLimit: message });
  }
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "setCollectionLimit", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    await tx.update(resellers).set({ collectionLimit: input.collectionLimit, updatedAt: new Date() }).where(eq(resellers.id, reseller.id));
    await recordAudit(tx, actor, { action: "reseller.set_collection_limit", targetType: "reseller", targetId: reseller.id, resellerId: reseller.id, details: { from: reseller.collectionLimit.toString(), to: input.collectionLimit.toString() } });
    const outstanding = outstandingOf(reseller.balance);
    return {
      resellerId: reseller.id,
      type: reseller.type,
      collectionLimit: input.collectionLimit,
      outstanding,
      blocked: reseller.type === "postpaid" && outstanding >= input.collectionLimit,
    } satisfies TermsResult;
  });
}

/** Switches a reseller between prepaid and postpaid; prepaid needs a non-negative balance. */
export async function setResellerType(db: Db, actor: Actor, input: { resellerId: string; type: ResellerType; idempotencyKey: string }) {
  assertAdmin(actor);
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "setResellerType", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    if (input.type === "prepaid" && reseller.balance < 0n) throw new DomainError("OUTSTANDING_MUST_BE_SETTLED");
    await tx.update(resellers).set({ type: input.type, updatedAt: new Date() }).where(eq(resellers.id, reseller.id));
    await recordAudit(tx, actor, { action: "reseller.set_type", targetType: "reseller", targetId: reseller.id, resellerId: reseller.id, details: { from: reseller.type, to: input.type } });
    const outstanding = outstandingOf(reseller.balance);
    return {
      resellerId: reseller.id,
      type: input.type,
      collectionLimit: reseller.collectionLimit,
      outstanding,
      blocked: input.type === "postpaid" ? outstanding >= reseller.collectionLimit : reseller.balance <= 0n,
    } satisfies TermsResult;
  });
}
