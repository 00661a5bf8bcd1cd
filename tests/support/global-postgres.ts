import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, withDatabase } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";

export const TEMPLATE_DB = "lastmile_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

/**
 * One throwaway PostgreSQL for the run (or TEST_DATABASE_URL), with a migrated
 * template database that every test file clones into a fresh database.
 */
export default async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  if (!url) {
    const parent = mkdtempSync(path.join(tmpdir(), "lastmile-test-"));
    chmodSync(parent, 0o755); // as root, PostgreSQL runs as its own OS user and must reach the folder
    const dataDir = path.join(parent, "pg");
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    url = server.url;
    stop = server.stop;
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  await runMigrations(withDatabase(url, TEMPLATE_DB));
  await admin.end();
  project.provide("postgresUrl", url);
  return stop;
}
