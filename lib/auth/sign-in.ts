import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { signInAttempts, users } from "@/db/schema";
import { recordAudit } from "../audit";
import { DomainError } from "../errors";
import { hashPassword, needsRehash, verifyPassword } from "./password";
import { loadSessionUser, type SessionUser } from "./session-user";

export const SIGN_IN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 30;

// Verifying against a real hash when the email is unknown keeps the timing the same.
let decoyHash: Promise<string> | undefined;

async function recentFailures(db: Db, column: typeof signInAttempts.email | typeof signInAttempts.ipAddress, value: string) {
  const [row] = await db
    .select({ failures: count() })
    .from(signInAttempts)
    .where(
      and(
        eq(column, value),
        eq(signInAttempts.succeeded, false),
        gt(signInAttempts.createdAt, sql`now() - make_interval(mins => ${SIGN_IN_WINDOW_MINUTES})`),
        // A successful sign-in for the account clears its earlier failures.
        sql`${signInAttempts.createdAt} > coalesce((select max(s.created_at) from ${signInAttempts} s
              where s.${sql.raw(column.name)} = ${value} and s.succeeded), '-infinity')`,
      ),
    );
  return row?.failures ?? 0;
}

/**
 * Checks an email and password. Wrong credentials of any kind give the same
 * null; too many recent failures for the account or the address refuse
 * before the password is even checked. Every attempt is counted and audited.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ipAddress: string },
): Promise<SessionUser | null> {
  const email = input.email.trim().toLowerCase();
  const ipAddress = input.ipAddress || "unknown";
  const auditIp = /^[0-9a-f.:]+$/i.test(ipAddress) ? ipAddress : null;
  if (
    (await recentFailures(db, signInAttempts.email, email)) >= MAX_FAILURES_PER_ACCOUNT ||
    (await recentFailures(db, signInAttempts.ipAddress, ipAddress)) >= MAX_FAILURES_PER_ADDRESS
  ) {
    await recordAudit(db, { userId: null, label: email, role: "system", ipAddress: auditIp }, { action: "auth.sign_in_rate_limited", details: { email } });
    throw new DomainError("RATE_LIMITED");
  }
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
  decoyHash ??= hashPassword("decoy-password-for-timing");
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  const sessionUser = user && passwordOk ? await loadSessionUser(db, user.id) : null;
  // A hash made with older, weaker parameters is replaced now that the password is known to be right.
  if (sessionUser && needsRehash(user!.passwordHash)) {
    await db.update(users).set({ passwordHash: await hashPassword(input.password) }).where(eq(users.id, user!.id));
  }
  await db.insert(signInAttempts).values({ email, ipAddress, succeeded: sessionUser !== null });
  await recordAudit(
    db,
    { userId: sessionUser?.id ?? null, label: email, role: sessionUser?.role ?? "system", resellerId: sessionUser?.resellerId, ipAddress: auditIp },
    { action: sessionUser ? "auth.sign_in" : "auth.sign_in_failed", resellerId: sessionUser?.resellerId ?? null },
  );
  return sessionUser;
}
