import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { connect } from "../db/client";
import { startEmbeddedPostgres, viaLocalSocket, withDatabase, type RunningPostgres } from "../db/embedded";
import { prepareSchema, runMigrations } from "../db/migrate";
import { asAppRole } from "../db/privileges";
import { parseTrustedProxies } from "../lib/auth/client-address";
import { installCurrency, installTimeZone, installWorkers } from "../lib/config";
import { installListenHost } from "../lib/listen-host";
import { demoLogins, hasData, seedDemo } from "../lib/demo";
import { startRadiusWorker } from "../lib/radius/worker";
import { startApiMaintenance } from "../lib/api/maintenance";
import { buildIfNeeded } from "./build";

/**
 * `npm start`: one command to a working product. Without DATABASE_URL it runs
 * a real embedded PostgreSQL under ./.data/pg, migrates, seeds demo data on
 * first run, builds the app if the sources changed, and serves it.
 */
const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const dataDir = path.resolve(root, process.env.LASTMILE_DATA_DIR ?? ".data");
const port = Number(process.env.PORT ?? 3000);
let database: RunningPostgres | undefined;
let app: ChildProcess | undefined;
let stopping = false;
let stopWorkers = async () => {};

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await new Promise((resolve) => app!.once("exit", resolve));
  }
  await stopWorkers();
  if (database) {
    console.log("Stopping PostgreSQL…");
    await database.stop();
  }
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

async function ensureDatabase(url: string, name: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  const [row] = await sql`select 1 from pg_database where datname = ${name}`;
  if (!row) await sql.unsafe(`CREATE DATABASE "${name}"`);
  await sql.end();
}

/** A path as the user would type it: relative inside the project, absolute outside. */
const shown = (target: string) => (path.relative(root, target).startsWith("..") ? target : path.relative(root, target));

/**
 * Sessions are signed with AUTH_SECRET. In production (a DATABASE_URL of its
 * own, or NODE_ENV=production) it must be set; locally one is generated once
 * and kept under .data.
 */
function authSecret(embedded: boolean): string {
  if (process.env.AUTH_SECRET) return process.env.AUTH_SECRET;
  if (!embedded || process.env.NODE_ENV === "production") {
    console.error("AUTH_SECRET is not set. Set it to a long random string (e.g. `openssl rand -base64 32`) before starting in production.");
    process.exit(1);
  }
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  console.warn(`AUTH_SECRET is not set: using a generated local secret from ${shown(file)} (fine for local use only).`);
  return readFileSync(file, "utf8").trim();
}

async function main() {
  // A misspelt currency or time zone stops here with a clear message, not on the first page view.
  installCurrency();
  installTimeZone();
  parseTrustedProxies(process.env.LASTMILE_TRUSTED_PROXIES);
  installWorkers();
  installListenHost();
  mkdirSync(dataDir, { recursive: true });
  let url = process.env.DATABASE_URL;
  const embedded = !url;
  if (!url) {
    // Migrations run as the embedded server's superuser; the app signs in as lastmile_app (db/privileges.ts).
    console.log(`Starting embedded PostgreSQL (data in ${shown(path.join(dataDir, "pg"))})…`);
    database = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg") });
    await ensureDatabase(database.url, "lastmile");
    const owner = withDatabase(database.url, "lastmile");
    await runMigrations(owner, { appPassword: database.appPassword });
    url = asAppRole(owner, database.appPassword);
  } else {
    const schema = await prepareSchema(url, process.env.MIGRATION_DATABASE_URL || undefined, { appPassword: process.env.LASTMILE_APP_PASSWORD || undefined });
    if (!schema.ready) {
      console.error(schema.message);
      process.exit(1);
    }
    if (schema.warning) console.warn(schema.warning);
  }
  // The app never sees the owner's credentials.
  delete process.env.MIGRATION_DATABASE_URL;
  delete process.env.LASTMILE_APP_PASSWORD;
  if (embedded) {
    const { db, close } = connect(url, { max: 2 });
    if (!(await hasData(db))) {
      // The demo logins' passwords are published: a production run adds them only when asked.
      if (process.env.NODE_ENV === "production" && process.env.LASTMILE_SEED_DEMO !== "1") {
        console.warn("NODE_ENV=production: the demo data (with its published logins) is not added. Set LASTMILE_SEED_DEMO=1 to add it anyway.");
      } else {
        console.log("Adding demo data (first run)…");
        await seedDemo(db);
      }
    }
    await close();
  }
  // The timers below run here, once per `npm start`, never in the app's workers (scripts/serve.ts, LASTMILE_WORKERS).
  // Disconnects after commit and the expiry sweep: a round every LASTMILE_RADIUS_INTERVAL_MS (default 15 s).
  // The app and the workers below reach the embedded server through its Unix socket (cheaper per query than loopback TCP).
  const poolUrl = embedded ? await viaLocalSocket(url) : url;
  const radius = connect(poolUrl, { max: 4 });
  const stopRadius = startRadiusWorker(radius.db, { intervalMs: Number(process.env.LASTMILE_RADIUS_INTERVAL_MS ?? 15_000) || 15_000 });
  // The API's housekeeping: idempotent answers past their retention (24 h), old rate-limit and failed-token windows.
  const stopApiMaintenance = startApiMaintenance(radius.db, { intervalMs: Number(process.env.LASTMILE_API_MAINTENANCE_INTERVAL_MS ?? 600_000) || 600_000 });
  stopWorkers = async () => {
    await stopRadius();
    await stopApiMaintenance();
    await radius.close();
  };
  const secret = authSecret(embedded);
  if (!dev) buildIfNeeded(root);
  const appUrl = process.env.NEXTAUTH_URL ?? `http://localhost:${port}`;
  // scripts/serve.ts: Next.js behind the front that decides each request's client address, in LASTMILE_WORKERS processes.
  app = spawn(path.join(root, "node_modules", ".bin", "tsx"), ["scripts/serve.ts", ...(dev ? ["--dev"] : [])], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: dev ? "development" : "production",
      // The embedded database is local use only: the payments sandbox may run there (never with Stripe keys).
      LASTMILE_EMBEDDED_DATABASE: embedded ? "1" : "",
      LASTMILE_DATA_DIR: dataDir,
      PORT: String(port),
      DATABASE_URL: poolUrl, AUTH_SECRET: secret, NEXTAUTH_SECRET: secret, NEXTAUTH_URL: appUrl },
  });
  let announced = false;
  app.stdout!.on("data", (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /ready|started server|Local:/i.test(chunk.toString())) {
      announced = true;
      console.log(`\nLastmile is running at ${appUrl}`);
      if (embedded) {
        console.log(`Database: ${url}`);
        console.log("Demo logins (their passwords are published; the admin console warns while they work):");
        for (const login of demoLogins) console.log(`  ${login.role.padEnd(20)} ${login.email.padEnd(24)} ${login.password}`);
      }
      console.log("Press Ctrl-C to stop.\n");
    }
  });
  app.on("exit", (code) => void shutdown(code ?? 0));
}

main().catch(async (error) => {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
});
