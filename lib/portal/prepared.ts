import "server-only";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { Queryable } from "@/db/client";

/**
 * Built-once, prepared queries for the hot list pages.
 *
 * Drizzle rebuilds a query's SQL text on every call (about 0.2 ms for a list
 * page, as much as the query itself) and sends parameterised queries
 * unprepared unless asked. List queries have a small number of shapes (which
 * filters are present, which sort), so each shape is built once per database
 * handle with `sql.placeholder(…)` for every value and prepared; a call only
 * binds values. The cache is keyed by the handle's session, so a transaction
 * gets its own (dropped with it).
 */
const caches = new WeakMap<object, Map<string, unknown>>();

export function reuse<T>(db: Queryable, key: string, build: () => T): T {
  const session = db._.session as object;
  let cache = caches.get(session);
  if (!cache) {
    cache = new Map();
    caches.set(session, cache);
  }
  let query = cache.get(key) as T | undefined;
  if (query === undefined) {
    query = build();
    cache.set(key, query);
  }
  return query;
}

const dialect = new PgDialect();

export type PreparedRaw<T> = { execute: (values?: Record<string, unknown>) => Promise<T[]> };

/** A raw SQL statement (with placeholders) prepared once per handle; rows come back as plain objects. */
export function preparedSql<T>(db: Queryable, key: string, build: () => SQL): PreparedRaw<T> {
  return reuse(db, key, () => {
    const query = db._.session.prepareQuery(dialect.sqlToQuery(build()), undefined, key, false);
    return { execute: (values?: Record<string, unknown>) => query.execute(values) as Promise<T[]> };
  });
}
