import { setTimeout as sleep } from "node:timers/promises";
import { PgTransaction } from "drizzle-orm/pg-core";
import { transientFailure } from "@/lib/db-errors";
import type { Db, Tx } from "@/db/client";
import { DomainError } from "@/lib/errors";

/** Attempts per command, the first included. */
export const COMMAND_ATTEMPTS = 5;

/** 40 ms, 80, 160, 320 (± a random half, so rivals that failed together do not retry together). */
function backoff(attempt: number): number {
  const base = 40 * 2 ** (attempt - 1);
  return base / 2 + Math.random() * base;
}

/**
 * Runs one command's transaction again when it failed for a passing reason:
 * a serialization failure or deadlock (PostgreSQL rolled it back whole), or a
 * dropped connection (postgres.js opens a new one for the next attempt). The
 * command must be safe to run again: a keyed command finds its key stored if
 * a lost connection hid its commit, and replays it (posts once); the other
 * commands set a state, which setting twice leaves the same. After
 * `COMMAND_ATTEMPTS`, or at once for anything else, the error goes up — a
 * lost database as DATABASE_UNAVAILABLE, the user's "try again".
 *
 * Inside a caller's transaction (a savepoint) nothing is retried here: the
 * failure has aborted the whole transaction, so the caller's runner retries it.
 */
export async function withTransientRetries<T>(db: unknown, run: () => Promise<T>, attempts = COMMAND_ATTEMPTS): Promise<T> {
  if (db instanceof PgTransaction) return run();
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const failure = transientFailure(error);
      if (!failure) throw error;
      if (attempt >= attempts) {
        console.error(`command gave up after ${attempt} attempts (${failure})`, error);
        throw new DomainError("DATABASE_UNAVAILABLE");
      }
      await sleep(backoff(attempt));
    }
  }
}

/**
 * One transaction of a command that sets a state (an edit, a status, a
 * scope), run again on a passing failure: setting the same state twice
 * leaves it the same. Not for creating without a key, where a lost
 * connection that hid a commit would make a second record.
 */
export function retriedTransaction<T>(db: Db | Tx, body: (tx: Tx) => Promise<T>): Promise<T> {
  return withTransientRetries(db, () => db.transaction(body));
}
