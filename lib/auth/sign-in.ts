import "server-only";
import { and, count, eq, gt, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { signInAttempts, users } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { normalizeAddress } from "./client-address";
import { hashPassword, needsRehash, verifyPassword } from "./password";
import { openSession } from "./sessions";
import { loadSessionUser, type SessionUser } from "./session-user";

export const SIGN_IN_WINDOW_MINUTES = 15;
/** Failures for one account from one address: past this, that pair is refused until the window passes. */
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
/** Failures for one account from anywhere before each further attempt must wait (a growing delay, never a wall). */
export const FREE_FAILURES_PER_ACCOUNT = 5;
export const MAX_ACCOUNT_DELAY_SECONDS = 60;
/** Failures from one address, whatever the accounts and however many sign-ins succeed in between. */
export const MAX_FAILURES_PER_ADDRESS = 30;
export const MAX_EMAIL_LENGTH = 254;
export const MAX_PASSWORD_BYTES = 1_024;

/** The wait an account's `failures` (since its last success, in the window) impose after the last one: 0, then 1 s, 2 s, 4 s… up to a minute. */
export function accountDelaySeconds(failures: number): number {
  if (failures < FREE_FAILURES_PER_ACCOUNT) return 0;
  return Math.min(MAX_ACCOUNT_DELAY_SECONDS, 2 ** (failures - FREE_FAILURES_PER_ACCOUNT));
}

// Verifying against a real hash when the email is unknown keeps the timing the same.
let decoyHash: Promise<string> | undefined;

const inWindow = sql`now() - make_interval(mins => ${SIGN_IN_WINDOW_MINUTES})`;

/** Failures matching `where` in the window after the account's last success (or all of them, for the address budget). */
async function failures(tx: Tx, email: string, where: ReturnType<typeof eq>, sinceAccountSuccess: boolean) {
  const lastSuccess = sql`coalesce((select max(s.created_at) from ${signInAttempts} s where s.email = ${email} and s.succeeded), '-infinity')`;
  const [row] = await tx
    // Seconds since the last failure, measured by the database's clock (the app's may differ).
    .select({ failures: count(), secondsSinceLast: sql<number | null>`extract(epoch from now() - max(${signInAttempts.createdAt}))::float8` })
    .from(signInAttempts)
    .where(and(where, eq(signInAttempts.succeeded, false), gt(signInAttempts.createdAt, inWindow), sinceAccountSuccess ? gt(signInAttempts.createdAt, lastSuccess) : undefined));
  return { failures: row?.failures ?? 0, secondsSinceLast: row?.secondsSinceLast ?? null };
}

/**
 * Decides and records an attempt in one transaction, serialised per account
 * and per address (advisory locks, always in that order), so a burst of
 * parallel guesses is counted one by one. The attempt is recorded as a
 * failure up front and turned into a success only once the password checked.
 */
async function admitAttempt(db: Db, email: string, ipAddress: string): Promise<number | null> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in account ${email}`}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in address ${ipAddress}`}, 0))`);
    const pair = await failures(tx, email, and(eq(signInAttempts.email, email), eq(signInAttempts.ipAddress, ipAddress))!, true);
    const account = await failures(tx, email, eq(signInAttempts.email, email), true);
    const address = await failures(tx, email, eq(signInAttempts.ipAddress, ipAddress), false);
    const wait = accountDelaySeconds(account.failures);
    const tooSoon = wait > 0 && account.secondsSinceLast !== null && account.secondsSinceLast < wait;
    if (pair.failures >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS || address.failures >= MAX_FAILURES_PER_ADDRESS || tooSoon) return null;
    const [attempt] = await tx.insert(signInAttempts).values({ email, ipAddress, succeeded: false }).returning({ id: signInAttempts.id });
    return attempt!.id;
  });
}

/**
 * Checks an email and password. Wrong credentials of any kind give the same
 * null; an attempt over the limits (see docs/ACCESS.md, "Sign-in") is refused
 * before the password is even checked. Every attempt is counted and audited.
 * Oversized input is refused before anything is read or written.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ipAddress: string | null },
): Promise<(SessionUser & { sessionId: string }) | null> {
  if (input.email.length > MAX_EMAIL_LENGTH * 2 || Buffer.byteLength(input.password) > MAX_PASSWORD_BYTES) return null;
  const email = input.email.trim().toLowerCase();
  if (!email || email.length > MAX_EMAIL_LENGTH) return null;
  // Requests whose address is unknown share one budget (the server always knows the socket's).
  const auditIp = normalizeAddress(input.ipAddress);
  const ipAddress = auditIp ?? "unknown";
  const attemptId = await admitAttempt(db, email, ipAddress);
  if (attemptId === null) {
    await recordAudit(db, { userId: null, label: email, role: "system", ipAddress: auditIp }, { action: "auth.sign_in_rate_limited", details: { email } });
    throw new DomainError("RATE_LIMITED");
  }
  const [user] = await db.select().from(users).where(sql`lower(${users.email}) = ${email}`);
  decoyHash ??= hashPassword("decoy-password-for-timing");
  const passwordOk = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
  const sessionUser = user && passwordOk ? await loadSessionUser(db, user.id) : null;
  let sessionId: string | null = null;
  if (sessionUser) {
    sessionId = (await openSession(db, sessionUser.id, auditIp)).id;
    await db.update(signInAttempts).set({ succeeded: true }).where(eq(signInAttempts.id, attemptId));
    // A hash made with older, weaker parameters is replaced now that the password is known to be right.
    if (needsRehash(user!.passwordHash)) await db.update(users).set({ passwordHash: await hashPassword(input.password) }).where(eq(users.id, user!.id));
  }
  await recordAudit(
    db,
    { userId: sessionUser?.id ?? null, label: email, role: sessionUser?.role ?? "system", resellerId: sessionUser?.resellerId, ipAddress: auditIp },
    { action: sessionUser ? "auth.sign_in" : "auth.sign_in_failed", resellerId: sessionUser?.resellerId ?? null },
  );
  return sessionUser && sessionId ? { ...sessionUser, sessionId } : null;
}
