import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { startEmbeddedPostgres, withDatabase } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";

type AdminSql = ReturnType<typeof postgres>;

/**
 * Runs a benchmark against a freshly migrated database of its own: on
 * BENCH_DATABASE_URL's server when set, else on a throwaway embedded
 * PostgreSQL. The database (and the embedded server) are gone afterwards.
 */
export async function withBenchDatabase(prefix: string, run: (url: string, admin: AdminSql) => Promise<void>) {
  let serverUrl = process.env.BENCH_DATABASE_URL;
  let stopServer = async () => {};
  let tempDir: string | undefined;
  if (!serverUrl) {
    tempDir = mkdtempSync(path.join(os.tmpdir(), `${prefix.replaceAll("_", "-")}-`));
    chmodSync(tempDir, 0o755); // as root, PostgreSQL runs as its own OS user and must reach the folder
    const server = await startEmbeddedPostgres({ dataDir: path.join(tempDir, "pg"), persistent: false });
    serverUrl = server.url;
    stopServer = server.stop;
  }
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = withDatabase(serverUrl, name);
    await runMigrations(url);
    await run(url, admin);
  } finally {
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end({ timeout: 5 });
    await stopServer();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

/** Replaces the `## <heading>` section of docs/BENCHMARKS.md, keeping every other section. */
export function writeReportSection(heading: string, section: string) {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "docs", "BENCHMARKS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const marker = `## ${heading}`;
  const start = current.search(new RegExp(`^${marker}[ \\t]*$`, "m"));
  let updated: string;
  if (start === -1) {
    updated = `${current.trimEnd()}\n\n${section}`;
  } else {
    const rest = current.slice(start + marker.length);
    const nextHeading = rest.search(/^## /m);
    const after = nextHeading === -1 ? "" : rest.slice(nextHeading);
    updated = `${current.slice(0, start)}${section}${after ? `\n${after}` : ""}`;
  }
  writeFileSync(file, `${updated.trimEnd()}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/** Exits non-zero on an unexpected error. */
export function runBenchmark(main: () => Promise<void>) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
