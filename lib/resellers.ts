import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { resellers } from "@/db/schema";
import { DomainError } from "./errors";
import { isUuid } from "./ids";
import { outstandingOf } from "./money";

/** A reseller's money position, as every money form shows it. */
export async function getResellerPosition(db: Queryable, resellerId: string) {
  if (!isUuid(resellerId)) throw new DomainError("RESELLER_NOT_FOUND");
  const [reseller] = await db
    .select({
      id: resellers.id,
      name: resellers.name,
      type: resellers.type,
      status: resellers.status,
      balance: resellers.balance,
      collectionLimit: resellers.collectionLimit,
      currency: resellers.currency,
    })
    .from(resellers)
    .where(eq(resellers.id, resellerId));
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  return { ...reseller, outstanding: outstandingOf(reseller.balance) };
}

export type ResellerPosition = Awaited<ReturnType<typeof getResellerPosition>>;
