import "server-only";
import { and, asc, eq, isNull, max } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { customers, journalEntries, journalLines, ledgerEntries, subscriptions } from "@/db/schema";
import { DomainError, fieldMessages } from "@/lib/errors";
import { provisionCustomers } from "@/lib/radius/provision";
import { assertAdmin, type Actor } from "./actor";
import { lockCustomerOfLockedReseller, runMoneyCommand } from "./idempotency";
import { post, type JournalLine } from "./posting";

export type ReverseInput = { entryId: number; reason: string; idempotencyKey: string };

/**
 * Every line of the original entry's journal with the opposite sign (as
 * medici's addReversedTransactions does): whatever accounts the original
 * moved — cash, gateway clearing, revenue, the reseller's account — are moved
 * back, line for line.
 */
async function mirroredLines(tx: Tx, ledgerEntryId: number): Promise<JournalLine[]> {
  const lines = await tx
    .select({ account: journalLines.account, resellerId: journalLines.resellerId, amount: journalLines.amount })
    .from(journalLines)
    .innerJoin(journalEntries, eq(journalEntries.id, journalLines.journalEntryId))
    .where(eq(journalEntries.ledgerEntryId, ledgerEntryId))
    .orderBy(asc(journalLines.id));
  if (lines.length === 0) throw new Error(`entry ${ledgerEntryId} has no journal lines to reverse`);
  return lines.map((line) => ({ ...line, amount: -line.amount }));
}

/**
 * Corrects a mistake with a new, linked, opposite entry (never an edit) whose
 * journal mirrors every line of the original's.
 * Each entry can be reversed once; a reversed charge stops counting toward
 * the customer's service.
 */
export async function reverseEntry(db: Db, actor: Actor, input: ReverseInput) {
  assertAdmin(actor);
  const reason = input.reason.trim();
  if (reason.length < 3) throw new DomainError("VALIDATION_FAILED", fieldMessages.reversalReason, { reason: fieldMessages.reversalReason });
  const [target] = await db
    .select({ resellerId: ledgerEntries.resellerId })
    .from(ledgerEntries)
    .where(eq(ledgerEntries.id, input.entryId));
  if (!target) throw new DomainError("ENTRY_NOT_FOUND");
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "reverseEntry", payload, resellerId: target.resellerId }, async (tx, reseller) => {
    const [original] = await tx.select().from(ledgerEntries).where(eq(ledgerEntries.id, input.entryId));
    if (!original) throw new DomainError("ENTRY_NOT_FOUND");
    if (original.kind === "reversal") throw new DomainError("CANNOT_REVERSE_REVERSAL");
    const [already] = await tx
      .select({ id: ledgerEntries.id })
      .from(ledgerEntries)
      .where(eq(ledgerEntries.reversesEntryId, original.id));
    if (already) throw new DomainError("ALREADY_REVERSED");
    const amount = -original.amount;
    // Taking back a credit may not drive a prepaid balance below zero.
    if (reseller.type === "prepaid" && reseller.balance + amount < 0n) {
      throw new DomainError("INSUFFICIENT_BALANCE", "Reversing this credit would make the prepaid balance negative.");
    }
    const lines = await mirroredLines(tx, original.id);
    // The reseller's account moves by exactly the reversal's amount, so it keeps matching the balance.
    const resellerSide = lines.filter((l) => l.account === "reseller_accounts" && l.resellerId === reseller.id).reduce((sum, l) => sum + l.amount, 0n);
    if (resellerSide !== -amount) throw new Error(`entry ${original.id}: its journal's reseller account lines do not match its amount`);
    if (original.subscriptionId) {
      // The customer row after the reseller's (the one lock order), before its period changes.
      await lockCustomerOfLockedReseller(tx, reseller.id, original.customerId!);
      await tx.update(subscriptions).set({ reversedAt: new Date() }).where(eq(subscriptions.id, original.subscriptionId));
      const [latest] = await tx
        .select({ expiresAt: max(subscriptions.expiresAt) })
        .from(subscriptions)
        .where(and(eq(subscriptions.customerId, original.customerId!), isNull(subscriptions.reversedAt)));
      await tx.update(customers).set({ expiresAt: latest?.expiresAt ?? null }).where(eq(customers.id, original.customerId!));
      await provisionCustomers(tx, { customerId: original.customerId! });
    }
    return post(
      tx,
      actor,
      reseller,
      {
        kind: "reversal",
        amount,
        reversesEntryId: original.id,
        customerId: original.customerId,
        subscriptionId: original.subscriptionId,
        note: reason,
        idempotencyKey,
        lines,
      },
      "billing.reverse_entry",
    );
  });
}
