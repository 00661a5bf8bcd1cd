import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { resellers, users, type ResellerType } from "@/db/schema";
import type { Actor } from "@/lib/billing/actor";
import { isPermission, type Permission } from "@/lib/permissions";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: "admin" | "reseller";
  resellerId: string | null;
  permissions: Permission[];
  reseller: { id: string; name: string; type: ResellerType; balance: bigint; collectionLimit: bigint; currency: string } | null;
};

/**
 * The signed-in user as the database sees them right now. Returns null when
 * the user is disabled or their reseller suspended, so an existing session
 * stops working on its next request; and, given when the session signed in,
 * when its sessions were revoked since (a suspension lifted later does not
 * bring an old session back).
 */
export async function loadSessionUser(db: Queryable, userId: string, signedInAt?: number): Promise<SessionUser | null> {
  const [row] = await db
    .select({ user: users, reseller: resellers })
    .from(users)
    .leftJoin(resellers, eq(resellers.id, users.resellerId))
    .where(eq(users.id, userId));
  if (!row || row.user.disabled) return null;
  const { user, reseller } = row;
  if (signedInAt !== undefined && user.sessionsRevokedAt && signedInAt < user.sessionsRevokedAt.getTime()) return null;
  if (user.role === "reseller" && (!reseller || reseller.status !== "active")) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    resellerId: user.resellerId,
    permissions: reseller ? reseller.permissions.filter(isPermission) : [],
    reseller: reseller
      ? {
          id: reseller.id,
          name: reseller.name,
          type: reseller.type,
          balance: reseller.balance,
          collectionLimit: reseller.collectionLimit,
          currency: reseller.currency,
        }
      : null,
  };
}

export function actorFor(user: SessionUser, ipAddress?: string | null): Actor {
  return { userId: user.id, label: user.email, role: user.role, resellerId: user.resellerId, ipAddress: ipAddress ?? null };
}
