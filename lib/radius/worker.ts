import "server-only";
import type { Db } from "@/db/client";
import { drainDisconnects, sweepExpired } from "./disconnects";

export type RadiusRound = { expiredQueued: number; attempted: number; acked: number; retrying: number; failed: number };

/** One round: queue disconnects for customers that expired since the last sweep, then send what is due. */
export async function radiusRound(db: Db, options: { timeoutMs?: number } = {}): Promise<RadiusRound> {
  const { queued } = await sweepExpired(db);
  const drained = await drainDisconnects(db, { timeoutMs: options.timeoutMs });
  return { expiredQueued: queued, ...drained };
}

/**
 * The timer inside `npm start`: a round every `intervalMs` (default 15 s), never
 * two at once; a failed round is logged and the next one tries again.
 */
export function startRadiusWorker(db: Db, options: { intervalMs?: number; log?: (line: string) => void } = {}): () => Promise<void> {
  const log = options.log ?? ((line) => console.log(line));
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = radiusRound(db)
      .then((r) => {
        if (r.expiredQueued || r.attempted) log(`RADIUS: ${r.expiredQueued} expired session(s) queued; ${r.attempted} request(s) sent: ${r.acked} acknowledged, ${r.retrying} to retry, ${r.failed} failed`);
      })
      .catch((error) => console.error("RADIUS round failed:", error))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, options.intervalMs ?? 15_000);
  timer.unref();
  tick();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
