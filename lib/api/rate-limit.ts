import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";

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
