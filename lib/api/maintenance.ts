import "server-only";
import { sql } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";
import { sweepApiAuthFailures, sweepApiRateWindows } from "./rate-limit";

// The API's housekeeping, on a timer in `npm start` (like the RADIUS expiry
// sweep): stored idempotent answers past their retention, and rate-limit and
// failed-token windows long gone.

/** How long an Idempotency-Key's first answer is kept (Stripe keeps keys 24 hours): LASTMILE_API_IDEMPOTENCY_HOURS, default 24. */
export function idempotencyRetentionHours(): number {
  const n = Number(process.env.LASTMILE_API_IDEMPOTENCY_HOURS);
  return Number.isSafeInteger(n) && n >= 1 && n <= 24 * 90 ? n : 24;
}

/**
 * Deletes idempotency slots created more than `hours` ago, answered or not (an
 * unanswered one that old was abandoned). A key reused after that is a new
 * request; money still posts once, because lib's command key is derived from
 * the owner and the key and lib keeps its own keys.
 */
export async function sweepApiIdempotency(db: Queryable, hours = idempotencyRetentionHours()): Promise<number> {
  const rows = await db.execute(sql`delete from api_idempotency where created_at < now() - make_interval(hours => ${hours}) returning 1`);
  return rows.length;
}

export type ApiMaintenanceRound = { idempotency: number; rateWindows: number; authFailures: number };

export async function apiMaintenanceRound(db: Db): Promise<ApiMaintenanceRound> {
  return {
    idempotency: await sweepApiIdempotency(db),
    rateWindows: await sweepApiRateWindows(db),
    authFailures: await sweepApiAuthFailures(db),
  };
}

/** Runs a round now and every `intervalMs` (default 10 minutes); returns a stop function that waits for a round in progress. */
export function startApiMaintenance(db: Db, options: { intervalMs?: number; log?: (line: string) => void } = {}): () => Promise<void> {
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const log = options.log ?? ((line: string) => console.error(line));
  let running: Promise<void> | null = null;
  const round = () => {
    if (running) return;
    running = apiMaintenanceRound(db)
      .then(() => undefined)
      .catch((error) => log(`api maintenance failed: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
      });
  };
  round();
  const timer = setInterval(round, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
