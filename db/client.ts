import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema";

/** The pool: Drizzle, and under it postgres.js (`$client`) for the few single-statement hot paths. */
export type Db = PostgresJsDatabase<typeof schema> & { $client: postgres.Sql };
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Anything that can run a query: the pool or an open transaction. */
export type Queryable = Db | Tx;

export type Database = { db: Db; sql: postgres.Sql; close: () => Promise<void> };

/**
 * The URL as postgres.js takes it, and the Unix socket directory when the URL
 * names one libpq's way (`postgres://user:pw@127.0.0.1:5432/db?host=/tmp`):
 * postgres.js would send an unknown `host` parameter on to the server.
 */
export function socketOf(url: string): { url: string; host?: string } {
  const parsed = new URL(url);
  const host = parsed.searchParams.get("host");
  if (!host?.startsWith("/")) return { url };
  parsed.searchParams.delete("host");
  return { url: parsed.toString(), host };
}

export function connect(url: string, options: { max?: number } = {}): Database {
  const target = socketOf(url);
  const sql = postgres(target.url, {
    ...(target.host ? { host: target.host } : {}),
    max: options.max ?? 10,
    onnotice: () => {},
    // bigint columns arrive as strings; Drizzle's bigint mode turns them into BigInt.
    types: { bigint: postgres.BigInt },
  });
  const db = drizzle(sql, { schema });
  return { db, sql, close: () => sql.end({ timeout: 5 }) };
}

let shared: Database | undefined;

/** The app's pool, opened on first use from DATABASE_URL. */
export function getDb(): Db {
  if (!shared) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set. Start Lastmile with `npm start`, which provides one.");
    shared = connect(url);
  }
  return shared.db;
}
