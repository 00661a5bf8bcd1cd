import "server-only";
import { eq } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { resellers, type Reseller, type ResellerType } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { MAX_MINOR_UNITS, outstandingOf } from "@/lib/money";
import { assertAdmin, type Actor } from "./actor";
import { runMoneyCommand } from "./idempotency";

export type TermsResult = { resellerId: string; type: ResellerType; collectionLimit: bigint; outstanding: bigint; blocked: boolean };

/**
 * Writes new terms on the locked reseller row, audits them, and reports where
 * the reseller stands under them: blocked when no charge at all can pass the
 * rule (postpaid: outstanding at or past the limit; prepaid: nothing left).
 */
async function changeTerms(
  tx: Tx,
  actor: Actor,
  reseller: Reseller,
  change: { type?: ResellerType; collectionLimit?: bigint },
  action: string,
  details: Record<string, string>,
): Promise<TermsResult> {
  await tx.update(resellers).set({ ...change, updatedAt: new Date() }).where(eq(resellers.id, reseller.id));
  await recordAudit(tx, actor, { action, targetType: "reseller", targetId: reseller.id, resellerId: reseller.id, details });
  const type = change.type ?? reseller.type;
  const collectionLimit = change.collectionLimit ?? reseller.collectionLimit;
  const outstanding = outstandingOf(reseller.balance);
  return { resellerId: reseller.id, type, collectionLimit, outstanding, blocked: type === "postpaid" ? outstanding >= collectionLimit : reseller.balance <= 0n };
}

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
    const details = { from: reseller.collectionLimit.toString(), to: input.collectionLimit.toString() };
    return changeTerms(tx, actor, reseller, { collectionLimit: input.collectionLimit }, "reseller.set_collection_limit", details);
  });
}

/** Switches a reseller between prepaid and postpaid; prepaid needs a non-negative balance. */
export async function setResellerType(db: Db, actor: Actor, input: { resellerId: string; type: ResellerType; idempotencyKey: string }) {
  assertAdmin(actor);
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "setResellerType", payload, resellerId: input.resellerId }, async (tx, reseller) => {
    if (input.type === "prepaid" && reseller.balance < 0n) throw new DomainError("OUTSTANDING_MUST_BE_SETTLED");
    return changeTerms(tx, actor, reseller, { type: input.type }, "reseller.set_type", { from: reseller.type, to: input.type });
  });
}
