import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import { connect, type Database, type Db } from "@/db/client";
import { withDatabase } from "@/db/embedded";
import { checkInvariants } from "@/lib/billing/invariants";
import { TEMPLATE_DB } from "./global-postgres";

let current: Database | undefined;
let owner: Database | undefined;
let currentUrl = "";
let ownerUrl = "";
let name = "";

/**
 * The fresh database of the running test file, signed in as the app role
 * (lastmile_app) like the app itself: every test proves the app's commands
 * work under its least privileges.
 */
export function testDb(): Database {
  if (!current) throw new Error("the test database is not ready");
  return current;
}
/** Shorthand for the Drizzle handle of `testDb()`. */
export const db = (): Db => testDb().db;
export function testDatabaseUrl(): string {
  return currentUrl;
}
/**
 * The same database as the owner of its tables (a superuser): only for a test
 * that sets up or corrupts data in ways the app role may not.
 */
export function ownerDb(): Database {
  if (!ownerUrl) throw new Error("the test database is not ready");
  owner ??= connect(ownerUrl, { max: 4 });
  return owner;
}
export function ownerDatabaseUrl(): string {
  return ownerUrl;
}

async function withAdmin<T>(run: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(inject("postgresUrl"), { max: 1, onnotice: () => {} });
  try {
    return await run(sql);
  } finally {
    await sql.end();
  }
}

beforeAll(async () => {
  name = `lastmile_test_${randomBytes(6).toString("hex")}`;
  await withAdmin((sql) => sql.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`));
  ownerUrl = withDatabase(inject("postgresUrl"), name);
  currentUrl = withDatabase(inject("appPostgresUrl"), name);
  current = connect(currentUrl, { max: 40 });
});

// The money invariants must hold after every test, whatever it did.
afterEach(async (context) => {
  if (!current || context.task.meta.skipInvariants) return;
  expect(await checkInvariants(current.db)).toEqual([]);
});

afterAll(async () => {
  await current?.close();
  await owner?.close();
  await withAdmin((sql) => sql.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
});

declare module "vitest" {
  interface TaskMeta {
    /** Set by a test that corrupts its database on purpose. */
    skipInvariants?: boolean;
  }
}
