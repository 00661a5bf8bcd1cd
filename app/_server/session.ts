import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import { authOptions, clientAddress } from "@/lib/auth/options";
import { loadSessionUser, type SessionUser } from "@/lib/auth/session-user";
import { hasPermission, type Permission } from "@/lib/permissions";

/** The signed-in user, re-read from the database once per request (null if signed out, disabled or suspended). */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const user = session?.user as { id?: string; signedInAt?: number } | undefined;
  // A token from before sign-in times were recorded counts as signed in at the epoch: revoked sessions stay revoked.
  return user?.id ? loadSessionUser(getDb(), user.id, user.signedInAt ?? 0) : null;
});

export async function requestAddress(): Promise<string> {
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
