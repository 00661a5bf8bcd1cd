import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

/** What an injected fault does to the statement that meets it. */
export const faults = {
  serializationFailure: "raise exception 'injected serialization failure' using errcode = '40001'",
  deadlock: "raise exception 'injected deadlock' using errcode = '40P01'",
  /** The server ends the command's own connection (57P01 admin shutdown), as a restart or a failover would. */
  droppedConnection: "perform pg_terminate_backend(pg_backend_pid())",
} as const;

/**
 * Makes the first `times` inserts into `table` (rows matching `when`) fail
 * with `fault`. The count lives in a sequence, which a rollback does not undo,
 * so `attempts()` tells how many times the statement was tried. `db` is the
 * owner's handle (ownerDb): the app's role may not create triggers; the
 * trigger runs as its owner (security definer).
 */
export async function injectFault(db: Db, table: string, fault: string, options: { times: number; when?: string }) {
  const name = `fault_${Math.floor(Math.random() * 1e9)}`;
  await db.execute(sql.raw(`create sequence ${name}`));
  await db.execute(
    sql.raw(`create function ${name}() returns trigger language plpgsql security definer as $$
      begin
        if (${options.when ?? "true"}) and nextval('${name}') <= ${options.times} then ${fault}; end if;
        return new;
      end $$`),
  );
  await db.execute(sql.raw(`create trigger ${name} before insert on ${table} for each row execute function ${name}()`));
  return {
    /** How many times the faulty statement ran (failed or not), counting only up to `times + 1`. */
    async attempts(): Promise<number> {
      const [row] = await db.execute<{ n: string }>(sql.raw(`select case when is_called then last_value else 0 end as n from ${name}`));
      return Number(row!.n);
    },
    async remove() {
      await db.execute(sql.raw(`drop trigger ${name} on ${table}`));
      await db.execute(sql.raw(`drop function ${name}()`));
      await db.execute(sql.raw(`drop sequence ${name}`));
    },
  };
}
