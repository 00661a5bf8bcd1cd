import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable, Tx } from "@/db/client";
import { resellers, users } from "@/db/schema";
import { recordAudit } from "./audit";
import { hashPassword } from "./auth/password";
import { assertAdmin, type Actor } from "./billing/actor";
import { runCreate } from "./billing/idempotency";
import { violatedConstraint } from "./db-errors";
import { DomainError } from "./errors";
import { zIdempotencyKey } from "./forms";
import { isUuid } from "./ids";
import { retriedTransaction } from "@/lib/db-retry";

// A reseller's sign-in users: the form fields (also part of the create-reseller
// form, whose first user is made here), adding one, disabling one.

/** A sign-in user for a reseller. */
export const userFields = {
  userName: z.string().trim().min(2, "Enter the sign-in user's name.").max(120),
  // Sign-in reads at most 254 characters (RFC 5321's limit): a longer address could never sign in.
  userEmail: z.string().trim().toLowerCase().max(254, "An email address has at most 254 characters.").email("Enter a valid email address for signing in."),
  password: z.string().min(10, "Use at least 10 characters.").max(200),
};

/** EMAIL_TAKEN (on the sign-in email field) for an insert that hit the unique email; anything else unchanged. */
export function translateEmailTaken(error: unknown): unknown {
  if (violatedConstraint(error) === "users_email_unique") return new DomainError("EMAIL_TAKEN", undefined, { userEmail: "That email address is already in use." });
  return error;
}

/** Writes one sign-in user of a reseller (the password already hashed). */
export async function insertResellerUser(tx: Tx, resellerId: string, input: { userName: string; userEmail: string }, passwordHash: string) {
  const [user] = await tx
    .insert(users)
    .values({ email: input.userEmail, name: input.userName, passwordHash, role: "reseller", resellerId })
    .returning({ id: users.id, email: users.email });
  return user!;
}

/** The reseller's sign-in users, oldest first (its detail page). */
export function listResellerUsers(db: Queryable, resellerId: string) {
  return db
    .select({ id: users.id, email: users.email, name: users.name, disabled: users.disabled, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.resellerId, resellerId))
    .orderBy(asc(users.createdAt));
}

export const addResellerUserForm = z.object({ resellerId: z.string().uuid(), ...userFields, idempotencyKey: zIdempotencyKey });

/** Adds a sign-in user to a reseller, once per idempotency key (the password is never fingerprinted or stored with the key). */
export async function addResellerUser(db: Db, actor: Actor, input: z.output<typeof addResellerUserForm>) {
  assertAdmin(actor);
  const [reseller] = isUuid(input.resellerId) ? await db.select({ id: resellers.id }).from(resellers).where(eq(resellers.id, input.resellerId)) : [];
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  const { password, idempotencyKey, ...payload } = input;
  const passwordHash = await hashPassword(password);
  try {
    return await runCreate(db, { key: idempotencyKey, command: "addResellerUser", payload }, async (tx) => {
      const user = await insertResellerUser(tx, input.resellerId, input, passwordHash);
      await recordAudit(tx, actor, { action: "user.create", targetType: "user", targetId: user.id, resellerId: input.resellerId, details: { email: input.userEmail } });
      return user;
    });
  } catch (error) {
    throw translateEmailTaken(error);
  }
}

export const userDisabledForm = z.object({ userId: z.string().uuid(), disabled: z.enum(["true", "false"]).transform((v) => v === "true") });

/** Disables or re-enables one sign-in user (any role but the acting admin). */
export async function setUserDisabled(db: Db, actor: Actor, input: z.output<typeof userDisabledForm>) {
  assertAdmin(actor);
  if (input.userId === actor.userId) throw new DomainError("FORBIDDEN", "You cannot disable your own account.");
  return retriedTransaction(db, async (tx) => {
    const [user] = await tx
      .update(users)
      .set(input.disabled ? { disabled: true, sessionsRevokedAt: sql`now()` } : { disabled: false })
      .where(eq(users.id, input.userId))
      .returning({ id: users.id, resellerId: users.resellerId });
    if (!user) throw new DomainError("NOT_FOUND", "That user does not exist.");
    await recordAudit(tx, actor, { action: input.disabled ? "user.disable" : "user.enable", targetType: "user", targetId: user.id, resellerId: user.resellerId });
    return { userId: user.id, disabled: input.disabled };
  });
}
