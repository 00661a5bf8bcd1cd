import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { freePort, startEmbeddedPostgres, viaLocalSocket, withDatabase } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";

type AdminSql = ReturnType<typeof postgres>;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

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

export type BuiltApp = {
  url: string;
  child: ChildProcess;
  log: string[];
  stop: () => Promise<void>;
  /** SIGKILL to the whole group, as a crash: no shutdown, whatever is in flight is cut off. Resolves once it is gone. */
  kill: () => Promise<void>;
};

/**
 * Starts the built app on a free loopback port against
 * `databaseUrl`, in its own process group so stopping it stops whatever it
 * spawned, and waits until `readyPath` answers 200. The bench's own
 * variables and the real gateway's keys are kept out of its environment.
 * With `workers`, it is the server `npm start` runs (scripts/serve.ts: the
 * client-address front, LASTMILE_WORKERS processes under node:cluster);
 * without, plain `next start`. A database on this machine is reached
 * through its Unix socket, as `npm start` does with its embedded server.
 */
export async function startBuiltApp(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  readyPath: string;
  nodeArgs?: string[];
  /** Serve through scripts/serve.ts with this many worker processes (LASTMILE_WORKERS). */
  workers?: number;
  /** How long to wait for the first 200 (default 60 s). */
  readyWithinMs?: number;
}): Promise<BuiltApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const secret = randomBytes(32).toString("base64url");
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["STRIPE_SECRET_KEY", "STRIPE_API_URL", "LASTMILE_EMBEDDED_DATABASE", "BENCH_DATABASE_URL", "BENCH_SKIP_BUILD", "BENCH_PROFILE_DIR", "BENCH_ACCEPT_ENCODING", "BENCH_APP_LOG", "BENCH_NODE_ARGS"]) delete env[name];
  Object.assign(env, {
    DATABASE_URL: await viaLocalSocket(options.databaseUrl),
    AUTH_SECRET: secret,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: url,
    PORT: String(port),
    // Loopback only, as `next start -H 127.0.0.1` below: nothing off this machine reaches a bench's app.
    LASTMILE_HOST: "127.0.0.1",
    NEXT_TELEMETRY_DISABLED: "1",
    ...options.env,
  });
  const next = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
  if (options.workers !== undefined) Object.assign(env, { NODE_ENV: "production", LASTMILE_WORKERS: String(options.workers) });
  // Under cluster the workers are forked with the primary's node flags (the TypeScript loader, a profiler's).
  const args = options.workers !== undefined ? ["--import", "tsx", path.join(ROOT, "scripts", "serve.ts")] : [next, "start", "-p", String(port), "-H", "127.0.0.1"];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    // BENCH_APP_LOG=<file>: the app's whole output (e.g. --trace-gc), not only the last lines.
    if (process.env.BENCH_APP_LOG) appendFileSync(process.env.BENCH_APP_LOG, chunk);
    log.push(...chunk.toString().split("\n").filter(Boolean));
    if (log.length > 200) log.splice(0, log.length - 200);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  /** Signals the app's whole process group; false when it had already gone. */
  const signal = (name: NodeJS.Signals): boolean => {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    try {
      process.kill(-child.pid!, name);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    if (!signal("SIGTERM")) return;
    const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    if (!stopped) {
      signal("SIGKILL");
      await exited;
    }
  };
  const kill = async () => {
    if (signal("SIGKILL")) await exited;
  };
  const readyWithinMs = options.readyWithinMs ?? 60_000;
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${log.join("\n")}`);
    try {
      const response = await fetch(`${url}${options.readyPath}`, { redirect: "manual" });
      await response.arrayBuffer();
      if (response.status === 200) return { url, child, log, stop, kill };
    } catch {}
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the app did not answer GET ${options.readyPath} with 200 within ${readyWithinMs / 1000} s:\n${log.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
