import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, userSessions } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { revokeSession, sessionIsOpen, SESSION_LIFETIME_HOURS } from "@/lib/auth/sessions";
import { authenticate } from "@/lib/auth/sign-in";
import { makeUser } from "../support/factories";
import { testDb } from "../support/fresh-database";

async function signedIn(ipAddress: string | null = "10.0.0.1") {
  const { db } = testDb();
  const user = await makeUser(db, { role: "admin", passwordHash: await hashPassword("correct horse") });
  const session = await authenticate(db, { email: user.email, password: "correct horse", ipAddress });
  if (!session) throw new Error("sign-in failed");
  return { db, user, sessionId: session.sessionId };
}

describe("server-side sessions", () => {
  it("a sign-in opens a session that ends an absolute 12 hours later, by the database's clock", async () => {
    const { db, user, sessionId } = await signedIn();
    expect(await sessionIsOpen(db, sessionId, user.id)).toBe(true);
    const [row] = await db
      .select({ hours: sql<number>`extract(epoch from ${userSessions.expiresAt} - ${userSessions.createdAt}) / 3600` })
      .from(userSessions)
      .where(eq(userSessions.id, sessionId));
    expect(Number(row!.hours)).toBe(SESSION_LIFETIME_HOURS);
    await db.update(userSessions).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(userSessions.id, sessionId));
    expect(await sessionIsOpen(db, sessionId, user.id)).toBe(false);
  });

  it("sign-out revokes the session on the server: the same cookie is refused afterwards", async () => {
    const { db, user, sessionId } = await signedIn();
    const other = await signedIn();
    expect(await revokeSession(db, sessionId, user.id)).toBe(true);
    expect(await sessionIsOpen(db, sessionId, user.id)).toBe(false);
    expect(await revokeSession(db, sessionId, user.id)).toBe(false);
    // Another sign-in, even of the same kind, is untouched.
    expect(await sessionIsOpen(db, other.sessionId, other.user.id)).toBe(true);
  });

  it("a session id is honoured only for its own user, and a forged id is refused without an error", async () => {
    const { db, user, sessionId } = await signedIn();
    const other = await signedIn();
    expect(await sessionIsOpen(db, sessionId, other.user.id)).toBe(false);
    expect(await revokeSession(db, sessionId, other.user.id)).toBe(false);
    expect(await sessionIsOpen(db, sessionId, user.id)).toBe(true);
    for (const forged of ["", "x", "'; delete from user_sessions; --", 42, null, undefined, "00000000-0000-0000-0000-000000000000"]) {
      expect(await sessionIsOpen(db, forged, user.id)).toBe(false);
    }
  });
});

describe("client address at sign-in", () => {
  it("a malformed address is stored as null and never breaks the sign-in", async () => {
    const { db, user, sessionId } = await signedIn("fff");
    expect(await sessionIsOpen(db, sessionId, user.id)).toBe(true);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.actorUserId, user.id), eq(auditLog.action, "auth.sign_in")));
    expect(audit?.ipAddress).toBeNull();
  });

  it("an unknown address signs in too, recorded as null", async () => {
    const { db, user } = await signedIn(null);
    const [session] = await db.select().from(userSessions).where(eq(userSessions.userId, user.id));
    expect(session?.ipAddress).toBeNull();
  });

  it("a real address is recorded on the session and in the audit log", async () => {
    const { db, user } = await signedIn("2001:db8::7");
    const [session] = await db.select().from(userSessions).where(eq(userSessions.userId, user.id));
    expect(session?.ipAddress).toBe("2001:db8::7");
  });
});
