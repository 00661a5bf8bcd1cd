import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { clientAddress } from "@/lib/auth/client-address";
import { authOptions } from "@/lib/auth/options";
import { sessionIsOpen } from "@/lib/auth/sessions";
import { loadSessionUser, type SessionUser } from "@/lib/auth/session-user";
import { hasPermission, type Permission } from "@/lib/permissions";

/**
 * The signed-in user, re-read from the database once per request: null if
 * signed out, signed out elsewhere (the session's row is revoked), past the
 * session's absolute lifetime, disabled or suspended.
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const user = session?.user as { id?: string; signedInAt?: number; sessionId?: string } | undefined;
  if (!user?.id) return null;
  const db = getDb();
  const [open, found] = await Promise.all([sessionIsOpen(db, user.sessionId, user.id), loadSessionUser(db, user.id, user.signedInAt ?? 0)]);
  return open ? found : null;
});

/** The client address as Lastmile's server decided it (lib/auth/client-address), or null. */
export async function requestAddress(): Promise<string | null> {
  return clientAddress(await headers());
}

/** For pages: the admin, or a redirect to sign-in / a 403. */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (user.role !== "admin") forbidden();
  return user;
}

/** For pages: a reseller (holding `permission` if given), or a redirect to sign-in / a 403. */
export async function requireReseller(permission?: Permission): Promise<SessionUser & { resellerId: string }> {
  const user = await currentUser();
  if (!user) redirect("/login");
  if (user.role !== "reseller" || !user.resellerId) forbidden();
  if (permission && !hasPermission(user.permissions, permission)) forbidden();
  return user as SessionUser & { resellerId: string };
}
