import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { userSessions } from "@/db/schema";

/** However often the cookie is refreshed, a session ends this long after sign-in. */
export const SESSION_LIFETIME_HOURS = 12;

/** Opens the server-side record of a new sign-in; its id goes into the session cookie. */
export async function openSession(db: Queryable, userId: string, ipAddress: string | null): Promise<{ id: string; expiresAt: Date }> {
  const [row] = await db
    .insert(userSessions)
    .values({ userId, ipAddress, expiresAt: sql`now() + make_interval(hours => ${SESSION_LIFETIME_HOURS})` })
    .returning({ id: userSessions.id, expiresAt: userSessions.expiresAt });
  return row!;
}

/** Sign-out: the session is refused from now on, wherever its cookie is. Returns whether it was still open. */
export async function revokeSession(db: Queryable, sessionId: string, userId: string): Promise<boolean> {
  const rows = await db
    .update(userSessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.revokedAt)))
    .returning({ id: userSessions.id });
  return rows.length > 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True while the session is neither revoked nor past its absolute lifetime, by the database's clock. */
export async function sessionIsOpen(db: Queryable, sessionId: unknown, userId: string): Promise<boolean> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return false;
  const [row] = await db
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId), isNull(userSessions.revokedAt), sql`${userSessions.expiresAt} > now()`));
  return Boolean(row);
}
