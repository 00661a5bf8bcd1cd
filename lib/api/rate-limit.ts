import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";

// Per-token request budget in a fixed window, counted in PostgreSQL (table
// api_rate_limits) so every app instance draws on the same budget. One
// statement counts the request and answers where the window stands.

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
 * Counts one request of the token in the current window and says whether it
 * is within `limit`. Requests over the limit are counted too (a client that
 * keeps hammering stays refused until the window ends).
 */
export async function consumeApiRequest(db: Queryable, tokenId: string, limit: number, windowSeconds = apiRateWindowSeconds()): Promise<RateLimitState> {
  const rows = await db.execute<{ count: number; reset: number }>(sql`
    insert into api_rate_limits (token_id, window_start, count)
    values (${tokenId}, to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}), 1)
    on conflict (token_id, window_start) do update set count = api_rate_limits.count + 1
    returning count, ceil(extract(epoch from (window_start + make_interval(secs => ${windowSeconds}) - now())))::int as reset`);
  const row = rows[0]!;
  const count = Number(row.count);
  // Now and then, forget windows long gone (cheap: an index range on window_start).
  if (Math.random() < 0.01) {
    await db.execute(sql`delete from api_rate_limits where window_start < now() - interval '1 day'`).catch(() => undefined);
  }
  return { limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, Number(row.reset)), allowed: count <= limit };
}

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers). */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    "RateLimit-Limit": String(state.limit),
    "RateLimit-Remaining": String(state.remaining),
    "RateLimit-Reset": String(state.resetSeconds),
  };
}
