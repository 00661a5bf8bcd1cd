import "server-only";
import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "@/db/client";
import { ledgerEntries, resellers } from "@/db/schema";
import { DomainError } from "./errors";

/**
 * One ledger entry with its reseller and, if it was reversed, the reversing
 * entry. `resellerId` scopes the lookup: an entry of another reseller is not found.
 */
export async function getEntry(db: Queryable, entryId: number, resellerId?: string) {
  if (!Number.isSafeInteger(entryId) || entryId <= 0) throw new DomainError("ENTRY_NOT_FOUND");
  const reversal = alias(ledgerEntries, "reversal");
  const [row] = await db
    .select({ entry: ledgerEntries, reseller: { id: resellers.id, name: resellers.name, currency: resellers.currency }, reversedBy: reversal.id })
    .from(ledgerEntries)
    .innerJoin(resellers, eq(resellers.id, ledgerEntries.resellerId))
    .leftJoin(reversal, eq(reversal.reversesEntryId, ledgerEntries.id))
    .where(eq(ledgerEntries.id, entryId));
  if (!row || (resellerId && row.reseller.id !== resellerId)) throw new DomainError("ENTRY_NOT_FOUND");
  return row;
}
