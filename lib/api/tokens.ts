import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "@/db/client";
import { apiTokens, resellers, users, type ApiToken, type ResellerType } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { runCreate } from "@/lib/billing/idempotency";
import { addressKey, badTokenBudget } from "./rate-limit";
import { assertAdmin, type Actor } from "@/lib/billing/actor";
import type { SessionUser } from "@/lib/auth/session-user";
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

/** The issue form of the token pages: with the key minted when the page rendered, so a double submit issues one token. */
export const issueApiTokenPageForm = issueApiTokenForm.extend({ idempotencyKey: z.string({ error: "Reload the page and try again." }).uuid("Reload the page and try again.") });

/**
 * issueApiToken once per form key (the token pages): a second submit of the
 * same form issues nothing and says which token the first one issued. The
 * plain token is never kept (the key's stored result holds the id, name and
 * prefix only), so only the first submit can show it.
 */
export async function issueApiTokenOnce(db: Db, actor: Actor, input: IssueApiTokenInput & { idempotencyKey: string }): Promise<IssuedApiToken> {
  const { idempotencyKey, ...rest } = input;
  let issued: IssuedApiToken | null = null;
  const result = await runCreate(db, { key: idempotencyKey, command: "issueApiToken", payload: { ...rest, by: actor.userId } }, async (tx) => {
    issued = await issueApiToken(tx, actor, rest);
    return { id: issued.record.id, name: issued.record.name, prefix: issued.record.prefix };
  });
  if (result.replayed || !issued) {
    throw new DomainError("IDEMPOTENCY_CONFLICT", `This form already issued the token "${result.name}" (${result.prefix}…), shown once. Choose Issue another for a new token.`);
  }
  return issued;
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

/** How often a token's last use (time and address) is written while the address stays the same. */
export const LAST_USED_EVERY_SECONDS = 60;

export type ApiRequestAuth = {
  /** Null: no live token (unknown, revoked, expired, owner disabled…), or the address is blocked. */
  principal: ApiPrincipal | null;
  /** Set when the client address is over its budget of failed token checks: seconds until it may try again. */
  blockedForSeconds: number | null;
  /** The request counted in the token's window (null when not asked to count). */
  rate: { count: number; resetSeconds: number } | null;
  /** True when the Idempotency-Key was claimed for this request by this statement. */
  claimed: boolean;
};

type AuthRow = {
  blocked_reset: number | null;
  token_id: string | null;
  token_name: string;
  kind: "admin" | "reseller";
  prefix: string;
  token_reseller_id: string | null;
  scopes: string[];
  rate_limit: number | null;
  user_id: string;
  email: string;
  user_name: string;
  role: "admin" | "reseller";
  user_reseller_id: string | null;
  disabled: boolean;
  reseller_name: string | null;
  reseller_type: ResellerType | null;
  reseller_status: string | null;
  balance: bigint | null;
  collection_limit: bigint | null;
  currency: string | null;
  permissions: string[] | null;
  rate_count: number | null;
  rate_reset: number | null;
  claimed: boolean;
};

/*
 * One statement per API request before its command: finds the live token with
 * its owner (enabled, of the token's kind, reseller active), writes the last
 * use only when a minute has passed or the address changed, counts the request
 * in the token's rate window, and, when the request is within the limit and
 * carries an Idempotency-Key, claims the key for the owner. An address over
 * its budget of failed token checks (api_auth_failures) finds no token at all.
 * Always one row (its token columns null when no live token). Committed without
 * waiting for the disk (set_config is local to the statement's transaction):
 * bookkeeping, never money. A prepared statement: one round trip.
 */
const AUTH_SQL = `
with async_commit as (select set_config('synchronous_commit', 'off', true) as v),
blocked as (
  select ceil(extract(epoch from (f.window_start + make_interval(secs => $10::int) - now())))::int as reset
  from api_auth_failures f
  where f.address = $9::text and f.window_start = to_timestamp(floor(extract(epoch from now()) / $10::int) * $10::int) and f.count >= $11::int
),
t as (
  select t.id as token_id, t.name as token_name, t.kind::text as kind, t.prefix, t.reseller_id as token_reseller_id, t.scopes, t.rate_limit,
         t.last_used_at, t.last_used_ip,
         u.id as user_id, u.email, u.name as user_name, u.role::text as role, u.reseller_id as user_reseller_id, u.disabled,
         r.name as reseller_name, r.type::text as reseller_type, r.status::text as reseller_status, r.balance, r.collection_limit, r.currency, r.permissions
  from api_tokens t
  join users u on u.id = t.user_id
  left join resellers r on r.id = u.reseller_id
  where t.token_hash = $1 and t.revoked_at is null and (t.expires_at is null or t.expires_at > now())
    and not u.disabled and u.role::text = t.kind::text
    and (t.kind = 'admin' or (u.reseller_id = t.reseller_id and r.status = 'active'))
    and not exists (select 1 from blocked)
),
touched as (
  update api_tokens a set last_used_at = now(), last_used_ip = $2::text
  from t
  where a.id = t.token_id
    and (t.last_used_at is null or t.last_used_at < now() - make_interval(secs => $3::int) or t.last_used_ip is distinct from $2::text)
  returning a.id
),
rate as (
  insert into api_rate_limits (token_id, window_start, count)
  select t.token_id, to_timestamp(floor(extract(epoch from now()) / $4::int) * $4::int), 1 from t where $5::boolean
  on conflict (token_id, window_start) do update set count = api_rate_limits.count + 1
  returning count, ceil(extract(epoch from (window_start + make_interval(secs => $4::int) - now())))::int as reset
),
claim as (
  insert into api_idempotency (owner_user_id, key, token_id, fingerprint)
  select t.user_id, $7::text, t.token_id, $8::text
  from t left join rate on true
  where $7::text is not null and (rate.count is null or rate.count <= coalesce(t.rate_limit, $6::int))
  on conflict do nothing
  returning key
)
select t.token_id, t.token_name, t.kind, t.prefix, t.token_reseller_id, t.scopes, t.rate_limit,
       t.user_id, t.email, t.user_name, t.role, t.user_reseller_id, t.disabled,
       t.reseller_name, t.reseller_type, t.reseller_status, t.balance, t.collection_limit, t.currency, t.permissions,
       rate.count as rate_count, rate.reset as rate_reset,
       exists (select 1 from claim) as claimed,
       (select count(*) from touched) as touched,
       (select v from async_commit) as async_commit,
       (select reset from blocked) as blocked_reset
from (select 1) as one left join t on true left join rate on true`;

/**
 * Authenticates a presented token for one API request, in one round trip (see
 * AUTH_SQL): null when the token is unknown, revoked or expired, or its owner
 * is disabled, suspended, or no longer of the token's kind. With `rate`, the
 * request is counted in the token's window; with `claim` (and the request
 * within the limit), the Idempotency-Key is claimed for the token's owner.
 */
export async function authenticateApiRequest(
  db: Db,
  presented: string,
  address: string | null,
  options: { rate?: { windowSeconds: number; defaultLimit: number }; claim?: { key: string; fingerprint: string } } = {},
): Promise<ApiRequestAuth | null> {
  if (!TOKEN_SHAPE.test(presented)) return null;
  const ip = auditableAddress(address);
  const guard = badTokenBudget();
  const rows = await db.$client.unsafe<AuthRow[]>(
    AUTH_SQL,
    [
      hashApiToken(presented),
      ip,
      LAST_USED_EVERY_SECONDS,
      options.rate?.windowSeconds ?? 60,
      options.rate !== undefined,
      options.rate?.defaultLimit ?? 0,
      options.claim?.key ?? null,
      options.claim?.fingerprint ?? null,
      addressKey(address),
      guard.windowSeconds,
      guard.limit,
    ],
    { prepare: true },
  );
  const row = rows[0]!;
  if (row.blocked_reset !== null) return { principal: null, blockedForSeconds: Math.max(1, Number(row.blocked_reset)), rate: null, claimed: false };
  if (row.token_id === null) return { principal: null, blockedForSeconds: null, rate: null, claimed: false };
  const user: SessionUser = {
    id: row.user_id,
    email: row.email,
    name: row.user_name,
    role: row.role,
    resellerId: row.user_reseller_id,
    permissions: row.permissions ? row.permissions.filter(isPermission) : [],
    reseller:
      row.user_reseller_id && row.reseller_type && row.currency !== null
        ? { id: row.user_reseller_id, name: row.reseller_name ?? "", type: row.reseller_type, balance: BigInt(row.balance ?? 0), collectionLimit: BigInt(row.collection_limit ?? 0), currency: row.currency }
        : null,
  };
  const held: readonly string[] = user.role === "admin" ? allAdminScopes : user.permissions;
  const scopes = row.scopes.filter((s: string): s is ApiScope => held.includes(s) && (isPermission(s) || isAdminScope(s)));
  return {
    principal: {
      token: { id: row.token_id, name: row.token_name, kind: row.kind, prefix: row.prefix, rateLimit: row.rate_limit },
      user,
      scopes,
      resellerId: user.resellerId,
      actor: { userId: user.id, label: `${user.email} (API token "${row.token_name}")`, role: user.role, resellerId: user.resellerId, ipAddress: ip },
    },
    blockedForSeconds: null,
    rate: row.rate_count === null || row.rate_reset === null ? null : { count: Number(row.rate_count), resetSeconds: Number(row.rate_reset) },
    claimed: row.claimed,
  };
}

/**
 * The principal of a presented token, or null (unknown, revoked, expired,
 * owner disabled or suspended, owner's role no longer the token's kind),
 * recording its use (time and address; see authenticateApiRequest).
 */
export async function authenticateApiToken(db: Db, presented: string, address: string | null): Promise<ApiPrincipal | null> {
  return (await authenticateApiRequest(db, presented, address))?.principal ?? null;
}

/** Every scope a token of this kind could hold, for forms and the script. */
export function scopesForKind(kind: "admin" | "reseller"): readonly ApiScope[] {
  return kind === "admin" ? allAdminScopes : allPermissions;
}
