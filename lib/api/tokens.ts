import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Queryable } from "@/db/client";
import { apiTokens, resellers, users, type ApiToken } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { assertAdmin, type Actor } from "@/lib/billing/actor";
import { loadSessionUser, type SessionUser } from "@/lib/auth/session-user";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { zDate, zWholeNumber } from "@/lib/forms";
import { allAdminScopes, allPermissions, isAdminScope, isPermission, type AdminScope, type Permission } from "@/lib/permissions";

// API tokens: issue (shown once), verify (by hash), list and revoke. A token
// is `lm_live_` + 43 base64url characters (32 random bytes); only its SHA-256
// is stored, with its first characters (`prefix`) to tell tokens apart.

export const API_TOKEN_PREFIX = "lm_live_";
const TOKEN_SHAPE = /^lm_live_[A-Za-z0-9_-]{43}$/;
/** How much of the token lists show: `lm_live_` and 8 characters (48 bits, not enough to guess the rest). */
const VISIBLE = API_TOKEN_PREFIX.length + 8;

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function mintApiToken(): { token: string; prefix: string; hash: string } {
  const token = API_TOKEN_PREFIX + randomBytes(32).toString("base64url");
  return { token, prefix: token.slice(0, VISIBLE), hash: hashApiToken(token) };
}

export type ApiScope = Permission | AdminScope;

/** The issue form (admin console, portal, the api:token script). Scopes empty or absent: everything the owner may do. */
export const issueApiTokenForm = z.object({
  userId: z.string().uuid("Choose a user."),
  name: z.string({ error: "Name the token." }).trim().min(1, "Name the token.").max(100, "Keep the name under 100 characters."),
  scopes: z
    .array(z.string().max(64))
    .max(20)
    .optional()
    .transform((v) => (v && v.length ? [...new Set(v)] : undefined)),
  // A day that exists (Date.parse would roll 2099-02-30 over to March) and is in the future.
  expiresOn: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .pipe(zDate.refine((v) => Date.parse(v) > Date.now(), "Choose a day in the future.").optional()),
  // ASCII digits only: "1e3", "0x10" and "+5" are not a limit someone typed.
  rateLimit: z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || String(v).trim() === "" ? undefined : String(v)))
    .pipe(zWholeNumber({ required: "Use a whole number.", whole: "Use a whole number." }, 1, 100_000, { min: "At least 1.", max: "At most 100,000." }).optional()),
});
export type IssueApiTokenInput = Omit<z.output<typeof issueApiTokenForm>, "scopes"> & { scopes?: string[] };

export type IssuedApiToken = { token: string; record: ApiToken };

/**
 * Issues a token for `userId`: a reseller user gets a reseller token limited
 * to `scopes` (each one of its reseller's permissions), an admin user an admin
 * token with admin scopes. A reseller actor issues only for users of its own
 * reseller (another's is NOT_FOUND). The plain token is in the result only.
 */
export async function issueApiToken(db: Queryable, actor: Actor, input: IssueApiTokenInput): Promise<IssuedApiToken> {
  if (!isUuid(input.userId)) throw new DomainError("NOT_FOUND");
  const [owner] = await db
    .select({ id: users.id, role: users.role, resellerId: users.resellerId, disabled: users.disabled, email: users.email, permissions: resellers.permissions })
    .from(users)
    .leftJoin(resellers, eq(resellers.id, users.resellerId))
    .where(eq(users.id, input.userId));
  if (!owner) throw new DomainError("NOT_FOUND");
  if (actor.role === "reseller" && owner.resellerId !== actor.resellerId) throw new DomainError("NOT_FOUND");
  if (actor.role !== "reseller") assertAdmin(actor);
  if (owner.disabled) throw new DomainError("VALIDATION_FAILED", "That user is disabled.", { userId: "That user is disabled." });

  const allowed: readonly string[] = owner.role === "admin" ? allAdminScopes : (owner.permissions ?? []).filter(isPermission);
  const scopes = input.scopes ?? [...allowed];
  const refused = scopes.filter((s) => !allowed.includes(s));
  if (refused.length) {
    const message = `Not available to this ${owner.role === "admin" ? "admin" : "reseller"}: ${refused.join(", ")}.`;
    throw new DomainError("VALIDATION_FAILED", message, { scopes: message });
  }
  if (scopes.length === 0) throw new DomainError("VALIDATION_FAILED", "Choose at least one scope.", { scopes: "Choose at least one scope." });

  const minted = mintApiToken();
  const [record] = await db
    .insert(apiTokens)
    .values({
      name: input.name,
      kind: owner.role,
      userId: owner.id,
      resellerId: owner.resellerId,
      scopes,
      prefix: minted.prefix,
      tokenHash: minted.hash,
      rateLimit: input.rateLimit ?? null,
      expiresAt: input.expiresOn ? new Date(`${input.expiresOn}T23:59:59.999Z`) : null,
      createdByUserId: actor.userId,
    })
    .returning();
  await recordAudit(db, actor, {
    action: "api_token.issue",
    targetType: "api_token",
    targetId: record!.id,
    resellerId: owner.resellerId,
    details: { name: input.name, owner: owner.email, kind: owner.role, scopes, prefix: minted.prefix, expiresAt: record!.expiresAt?.toISOString() ?? null },
  });
  return { token: minted.token, record: record! };
}

/** What a token list shows (never the hash). */
export const apiTokenColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  kind: apiTokens.kind,
  prefix: apiTokens.prefix,
  scopes: apiTokens.scopes,
  rateLimit: apiTokens.rateLimit,
  expiresAt: apiTokens.expiresAt,
  lastUsedAt: apiTokens.lastUsedAt,
  lastUsedIp: apiTokens.lastUsedIp,
  revokedAt: apiTokens.revokedAt,
  createdAt: apiTokens.createdAt,
  ownerEmail: users.email,
  userId: apiTokens.userId,
};

/** One reseller's tokens, or (`"all"`, for the admin) every token with its reseller's name; newest first. */
export async function listApiTokens(db: Queryable, scope: { resellerId: string } | "all") {
  if (scope !== "all" && !isUuid(scope.resellerId)) return [];
  return db
    .select({ ...apiTokenColumns, resellerName: resellers.name })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(resellers, eq(resellers.id, apiTokens.resellerId))
    .where(scope === "all" ? undefined : eq(apiTokens.resellerId, scope.resellerId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(500);
}

/** Who the admin can issue a token for: enabled users, admins first, then by reseller and email. */
export function tokenOwners(db: Queryable) {
  return db
    .select({ id: users.id, email: users.email, role: users.role, resellerName: resellers.name, permissions: resellers.permissions })
    .from(users)
    .leftJoin(resellers, eq(resellers.id, users.resellerId))
    .where(eq(users.disabled, false))
    .orderBy(users.role, resellers.name, users.email)
    .limit(2_000);
}
export type ApiTokenRow = Awaited<ReturnType<typeof listApiTokens>>[number];

export const revokeApiTokenForm = z.object({ tokenId: z.string().uuid("Choose a token.") });

/**
 * Revokes a token, effective on its next request. A reseller actor revokes
 * only its own reseller's tokens (another's is NOT_FOUND). Revoking twice
 * changes nothing.
 */
export async function revokeApiToken(db: Queryable, actor: Actor, tokenId: string): Promise<{ id: string; revokedAt: Date }> {
  if (!isUuid(tokenId)) throw new DomainError("NOT_FOUND");
  const [token] = await db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
  if (!token) throw new DomainError("NOT_FOUND");
  if (actor.role === "reseller" ? token.resellerId !== actor.resellerId : actor.role !== "admin" && actor.role !== "system") throw new DomainError("NOT_FOUND");
  if (token.revokedAt) return { id: token.id, revokedAt: token.revokedAt };
  const [revoked] = await db
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.id, token.id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, revokedAt: apiTokens.revokedAt });
  await recordAudit(db, actor, {
    action: "api_token.revoke",
    targetType: "api_token",
    targetId: token.id,
    resellerId: token.resellerId,
    details: { name: token.name, prefix: token.prefix },
  });
  return { id: token.id, revokedAt: revoked?.revokedAt ?? new Date() };
}

/** Who is calling: the token, its owner as the database sees them now, and what the token may do now. */
export type ApiPrincipal = {
  token: { id: string; name: string; kind: "admin" | "reseller"; prefix: string; rateLimit: number | null };
  user: SessionUser;
  /** The token's scopes that its owner still holds (a reseller permission taken away narrows every token). */
  scopes: ApiScope[];
  resellerId: string | null;
  actor: Actor;
};

/** An address as the audit log's inet column takes it, or null. */
export function auditableAddress(address: string | null | undefined): string | null {
  return address && isIP(address) ? address : null;
}

/**
 * The principal of a presented token, or null (unknown, revoked, expired,
 * owner disabled or suspended, owner's role no longer the token's kind). One
 * statement finds the live token and records its use (time and address).
 */
export async function authenticateApiToken(db: Queryable, presented: string, address: string | null): Promise<ApiPrincipal | null> {
  if (!TOKEN_SHAPE.test(presented)) return null;
  const ip = auditableAddress(address);
  const [token] = await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()`, lastUsedIp: ip })
    .where(and(eq(apiTokens.tokenHash, hashApiToken(presented)), isNull(apiTokens.revokedAt), sql`(${apiTokens.expiresAt} is null or ${apiTokens.expiresAt} > now())`))
    .returning();
  if (!token) return null;
  const user = await loadSessionUser(db, token.userId);
  if (!user || user.role !== token.kind || (token.kind === "reseller" && user.resellerId !== token.resellerId)) return null;
  const held: readonly string[] = user.role === "admin" ? allAdminScopes : user.permissions;
  const scopes = token.scopes.filter((s): s is ApiScope => held.includes(s) && (isPermission(s) || isAdminScope(s)));
  return {
    token: { id: token.id, name: token.name, kind: token.kind, prefix: token.prefix, rateLimit: token.rateLimit },
    user,
    scopes,
    resellerId: user.resellerId,
    actor: { userId: user.id, label: `${user.email} (API token "${token.name}")`, role: user.role, resellerId: user.resellerId, ipAddress: ip },
  };
}

/** Every scope a token of this kind could hold, for forms and the script. */
export function scopesForKind(kind: "admin" | "reseller"): readonly ApiScope[] {
  return kind === "admin" ? allAdminScopes : allPermissions;
}
