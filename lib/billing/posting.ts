import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import {
  auditLog,
  journalEntries,
  journalLines,
  ledgerEntries,
  resellers,
  type LedgerEntry,
  type Reseller,
} from "@/db/schema";
import { outstandingOf } from "@/lib/money";
import type { Actor } from "./actor";

type Account = (typeof journalLines.$inferInsert)["account"];

/** One line of a journal entry; debits positive. */
export type JournalLine = { account: Account; resellerId: string | null; amount: bigint };

export type Posting = Omit<
  typeof ledgerEntries.$inferInsert,
  "id" | "resellerId" | "balanceAfter" | "resellerType" | "collectionLimit" | "actorUserId" | "actorLabel" | "createdAt"
> &
  (
    | /** The usual two lines: the counter account takes the entry's amount, the reseller's account the opposite. */
    { counterAccount: Account; lines?: never }
    /** Lines given whole (a reversal mirrors every line of its original); they sum to zero and move the reseller's account by the entry's amount. */
    | { lines: JournalLine[]; counterAccount?: never }
  );

/** What every money command returns: the entry and the reseller's position before and after. */
export type PostingResult = {
  entry: LedgerEntry;
  balanceBefore: bigint;
  balanceAfter: bigint;
  outstandingBefore: bigint;
  outstandingAfter: bigint;
};

/** What a money form shows after posting: the entry and the position before and after (plain values, ready to serialise). */
export type PostingSummary = {
  entryId: number;
  balanceBefore: bigint;
  balanceAfter: bigint;
  outstandingBefore: bigint;
  outstandingAfter: bigint;
  replayed: boolean;
};

export function postingSummary(r: PostingResult & { replayed: boolean }): PostingSummary {
  return {
    entryId: r.entry.id,
    balanceBefore: r.balanceBefore,
    balanceAfter: r.balanceAfter,
    outstandingBefore: r.outstandingBefore,
    outstandingAfter: r.outstandingAfter,
    replayed: r.replayed,
  };
}

/**
 * Writes one ledger entry, its balanced journal entry, the reseller's new
 * balance and an audit row. The caller holds the reseller row lock.
 */
export async function post(
  tx: Tx,
  actor: Actor,
  reseller: Reseller,
  { counterAccount, lines, ...entry }: Posting,
  auditAction: string,
): Promise<PostingResult> {
  const balanceAfter = reseller.balance + entry.amount;
  const [written] = await tx
    .insert(ledgerEntries)
    .values({
      ...entry,
      resellerId: reseller.id,
      balanceAfter,
      resellerType: reseller.type,
      collectionLimit: reseller.collectionLimit,
      actorUserId: actor.userId,
      actorLabel: actor.label,
    })
    .returning()
    .prepare("billing_insert_ledger_entry")
    .execute();
  const ledgerEntry = written!;
  const [journal] = await tx
    .insert(journalEntries)
    .values({ ledgerEntryId: ledgerEntry.id, memo: `${entry.kind} for ${reseller.name}` })
    .returning({ id: journalEntries.id })
    .prepare("billing_insert_journal_entry")
    .execute();
  // The lines, the new balance and the audit row depend only on ids known by now: send them together.
  await Promise.all([
    lines
      ? tx.insert(journalLines).values(lines.map((line) => ({ journalEntryId: journal!.id, ...line })))
      : // Debits positive: the counter account takes the entry's amount, the reseller's account the opposite.
        tx
          .insert(journalLines)
          .values([
            { journalEntryId: journal!.id, account: counterAccount, amount: entry.amount },
            { journalEntryId: journal!.id, account: "reseller_accounts", resellerId: reseller.id, amount: -entry.amount },
          ])
          .prepare("billing_insert_journal_lines")
          .execute(),
    tx
      .update(resellers)
      .set({ balance: balanceAfter, updatedAt: new Date() })
      .where(eq(resellers.id, reseller.id))
      .prepare("billing_set_balance")
      .execute(),
    // The row recordAudit writes, as a prepared statement on the hot path.
    tx
      .insert(auditLog)
      .values({
        actorUserId: actor.userId,
        actorLabel: actor.label,
        action: auditAction,
        targetType: "ledger_entry",
        targetId: String(ledgerEntry.id),
        resellerId: reseller.id,
        ipAddress: actor.ipAddress ?? null,
        details: { kind: entry.kind, amount: entry.amount.toString(), balanceAfter: balanceAfter.toString() },
      })
      .prepare("billing_insert_audit")
      .execute(),
  ]);
  reseller.balance = balanceAfter;
  return {
    entry: ledgerEntry,
    balanceBefore: balanceAfter - entry.amount,
    balanceAfter,
    outstandingBefore: outstandingOf(balanceAfter - entry.amount),
    outstandingAfter: outstandingOf(balanceAfter),
  };
}
