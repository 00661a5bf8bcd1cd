import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Db } from "@/db/client";

/**
 * Holds a command mid-transaction, at a chosen write, until the test lets it
 * go: a BEFORE INSERT trigger on `table` (for rows matching `when`, SQL on
 * NEW) waits for an advisory lock that a separate connection holds. The
 * command has taken every lock it took before that write and keeps them while
 * it waits, so the test can start a rival command against it. `db` is the
 * owner's handle (ownerDb), which may create triggers.
 */
export async function pauseAt(db: Db, url: string, table: string, when: string) {
  const lockId = Math.floor(Math.random() * 1_000_000_000);
  const name = `pause_${lockId}`;
  const holder = postgres(url, { max: 1, onnotice: () => {} });
  await holder.begin(async () => {}); // connect now
  await holder.unsafe(`select pg_advisory_lock(${lockId})`);
  await db.execute(
    sql.raw(`create function ${name}() returns trigger language plpgsql security definer as $$
      begin
        if ${when} then perform pg_advisory_xact_lock_shared(${lockId}); end if;
        return new;
      end $$`),
  );
  await db.execute(sql.raw(`create trigger ${name} before insert on ${table} for each row execute function ${name}()`));
  return {
    /** Lets the held command go on (and any later write the trigger meets). */
    async release() {
      await holder.unsafe(`select pg_advisory_unlock(${lockId})`);
      await holder.end();
    },
    /** Drops the trigger; call it once the commands are done (dropping it waits for every transaction that wrote the table). */
    async remove() {
      await db.execute(sql.raw(`drop trigger ${name} on ${table}`));
      await db.execute(sql.raw(`drop function ${name}()`));
    },
  };
}

/** Waits until at least `count` backends of this database wait for a lock (row, transaction or advisory). */
export async function waitForLockWaiters(db: Db, count: number) {
  for (let i = 0; i < 500; i++) {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if ((rows[0]?.n ?? 0) >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`fewer than ${count} backends ever waited for a lock`);
}

/**
 * Holds one row lock from a connection of its own (as another command would)
 * until `release()`: what starts while it is held queues behind it in order.
 */
export async function holdRowLock(url: string, query: string) {
  const conn = postgres(url, { max: 1, onnotice: () => {} });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const taken = new Promise<void>((resolve) => (locked = resolve));
  const done = conn.begin(async (tx) => {
    await tx.unsafe(query);
    locked();
    await gate;
  });
  await taken;
  return {
    async release() {
      release();
      await done;
      await conn.end();
    },
  };
}
