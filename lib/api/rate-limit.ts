import "server-only";
import { sql } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";

// Per-token request budget in a fixed window, counted in PostgreSQL (table
// api_rate_limits) so every app instance draws on the same budget. Requests
// over the limit are counted too (a client that keeps hammering stays refused
// until the window ends).

/** Requests per window for a token without its own limit: LASTMILE_API_RATE_LIMIT, default 600. */
export function defaultApiRateLimit(): number {
  const n = Number(process.env.LASTMILE_API_RATE_LIMIT);
  return Number.isSafeInteger(n) && n > 0 ? n : 600;
}

/** The window in seconds: LASTMILE_API_RATE_WINDOW_SECONDS, default 60. */
export function apiRateWindowSeconds(): number {
  const n = Number(process.env.LASTMILE_API_RATE_WINDOW_SECONDS);
  return Number.isSafeInteger(n) && n > 0 && n <= 86_400 ? n : 60;
}

export type RateLimitState = { limit: number; remaining: number; resetSeconds: number; allowed: boolean };

/**
 * Forgets rate windows long gone (an index range on window_start). Requests
 * are counted in the token check's own statement (authenticateApiRequest in
 * lib/api/tokens); this runs on the maintenance timer (lib/api/maintenance).
 */
export async function sweepApiRateWindows(db: Queryable): Promise<number> {
  const rows = await db.execute(sql`delete from api_rate_limits where window_start < now() - interval '1 day' returning 1`);
  return rows.length;
}

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
  };
}

/**
 * Failed token checks allowed per client address and window before every API
 * request from that address is refused: LASTMILE_API_BAD_TOKEN_LIMIT (default
 * 20) per LASTMILE_API_BAD_TOKEN_WINDOW_SECONDS (default 600). Far above what
 * a misconfigured client sends while its owner notices; far below what
 * guessing a 256-bit token would need (which is hopeless anyway: this keeps
 * the logs and the database quiet).
 */
export function badTokenBudget(): { limit: number; windowSeconds: number } {
  const limit = Number(process.env.LASTMILE_API_BAD_TOKEN_LIMIT);
  const window = Number(process.env.LASTMILE_API_BAD_TOKEN_WINDOW_SECONDS);
  return {
    limit: Number.isSafeInteger(limit) && limit > 0 ? limit : 20,
    windowSeconds: Number.isSafeInteger(window) && window > 0 && window <= 86_400 ? window : 600,
  };
}

/** The address a failure is counted under: requests whose address is unknown share one budget. */
export function addressKey(address: string | null): string {
  return address?.trim() ? address.trim().slice(0, 64) : "unknown";
}

/**
 * Counts one failed token check from `address` in the current window and says
 * whether the address is still within its budget (past it: 429 with
 * Retry-After, and every request from it is refused until the window ends).
 * One statement, committed without waiting for the disk.
 */
export async function recordBadToken(db: Db, address: string | null): Promise<RateLimitState> {
  const { limit, windowSeconds } = badTokenBudget();
  const rows = await db.$client.unsafe<{ count: number; reset: number }[]>(
    `with async_commit as (select set_config('synchronous_commit', 'off', true) as v)
     insert into api_auth_failures (address, window_start, count)
     select $1::text, to_timestamp(floor(extract(epoch from now()) / $2::int) * $2::int), 1 from async_commit
     on conflict (address, window_start) do update set count = api_auth_failures.count + 1
     returning count, ceil(extract(epoch from (window_start + make_interval(secs => $2::int) - now())))::int as reset`,
    [addressKey(address), windowSeconds],
    { prepare: true },
  );
  const count = Number(rows[0]!.count);
  return { limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, Number(rows[0]!.reset)), allowed: count <= limit };
}

/** Forgets failed-token windows long gone. */
export async function sweepApiAuthFailures(db: Queryable): Promise<number> {
  const rows = await db.execute(sql`delete from api_auth_failures where window_start < now() - interval '1 day' returning 1`);
  return rows.length;
}
