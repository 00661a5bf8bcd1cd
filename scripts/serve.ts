import cluster, { type Worker } from "node:cluster";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddressHeaderValue,
  installClientAddressKey,
  parseTrustedProxies,
  resolveClientAddress,
  type ProxyTrust,
} from "../lib/auth/client-address";
import { installWorkers } from "../lib/config";
import { installListenHost } from "../lib/listen-host";

/**
 * Lastmile's HTTP server: Next.js behind a thin front that decides each
 * request's client address from the socket (and, only when
 * LASTMILE_TRUSTED_PROXIES says so, the proxies' X-Forwarded-For), because
 * the app's own code cannot see the socket and `next start` passes on
 * whatever X-Forwarded-For a client sends.
 *
 * A page render is CPU-bound JavaScript, so one process uses one core: the
 * server runs LASTMILE_WORKERS processes (default: one per CPU) with
 * node:cluster, sharing the port. The primary only supervises: it restarts a
 * worker that dies and stops them all on SIGTERM/SIGINT. Each worker is a
 * whole app (its own database pool, its own client-address key, which never
 * leaves the process). Sessions are signed with AUTH_SECRET from the
 * environment, the same in every worker; everything else the app shares
 * (idempotency, rate limits, sign-in throttling) lives in PostgreSQL.
 */
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);
/** A worker that dies this soon after it started, this many times in a row, means the app cannot start: stop instead of looping. */
const EARLY_DEATH_MS = 10_000;
const EARLY_DEATHS_ALLOWED = 5;
/** How long a graceful stop may take before the workers are killed. */
const STOP_WITHIN_MS = 10_000;

const proxiesText = (trust: ProxyTrust) =>
  trust.kind === "none" ? "none (the socket's address counts)" : trust.kind === "hops" ? `${trust.hops} in front` : trust.text;

/** One app: Next.js behind the client-address front, listening on the port (shared with the other workers under cluster). */
async function serve(trust: ProxyTrust, host: string | undefined, onListening: () => void) {
  const key = randomBytes(24).toString("base64url");
  installClientAddressKey(key);
  // Loaded here, not at the top: the supervising primary never needs Next.js in its memory.
  const { default: next } = await import("next");
  const app = next({ dev, dir: process.cwd(), port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((request, response) => {
    const address = resolveClientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trust);
    // Overwrites whatever a client sent under this name; only this value carries the key.
    request.headers[CLIENT_ADDRESS_HEADER] = clientAddressHeaderValue(key, address);
    void handle(request, response);
  });
  if (dev) server.on("upgrade", app.getUpgradeHandler());
  server.listen(port, host, onListening);
  // Stops taking connections, lets the requests in flight finish (idle keep-alive connections are closed), then exits.
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/**
 * V8 flags for the workers, each unless the operator gave its own (node flags
 * or NODE_OPTIONS, which Node allows for --max-semi-space-size only). With one
 * worker the app runs in this process, which started without them.
 *
 * A page render allocates a few MB of objects that die with the request. With
 * V8's default young generation (16 MB semi-spaces) many are promoted under
 * 16 concurrent renders; 64 MB semi-spaces let them die young: less time in
 * the collector.
 *
 * The old generation is collected when it reaches a multiple of what was live
 * after the last full collection. Under steady load V8 picks up to 4x (about
 * 120 MB live became a 585 MB heap, measured with --trace-gc under bench:soak)
 * and never hands the pages back, so a busy worker's memory grew round after
 * round. 1.5x keeps the heap near 300 MB with one full collection every few
 * seconds, at no measurable CPU cost (docs/BENCHMARKS.md, Soak).
 */
const WORKER_V8_FLAGS = [
  { name: "--max-semi-space-size", value: "64" },
  { name: "--heap-growing-percent", value: "50" },
];
function workerFlags(): string[] {
  // V8 reads "_" and "-" in a flag's name alike.
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].join(" ").replaceAll("_", "-");
  const missing = WORKER_V8_FLAGS.filter((flag) => !given.includes(flag.name));
  return [...process.execArgv, ...missing.map((flag) => `${flag.name}=${flag.value}`)];
}

function supervise(count: number, trust: ProxyTrust, where: string) {
  cluster.setupPrimary({ execArgv: workerFlags() });
  let stopping = false;
  /** What the primary exits with once every worker has gone: 1 when it gave up on workers that keep dying. */
  let exitCode = 0;
  let listening = 0;
  let announced = false;
  let earlyDeaths = 0;
  const started = new Map<Worker, number>();
  const fork = () => {
    const worker = cluster.fork();
    started.set(worker, Date.now());
    worker.once("listening", () => {
      earlyDeaths = 0;
      if (!announced && ++listening === count) {
        announced = true;
        console.log(`Ready on ${where} (${count} workers; trusted proxies: ${proxiesText(trust)})`);
      }
    });
  };
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker) ?? 0);
    started.delete(worker);
    if (stopping) {
      if (started.size === 0) process.exit(exitCode);
      return;
    }
    console.error(`Worker ${worker.process.pid} stopped (${signal ?? `exit code ${code}`}); starting another.`);
    if (lived < EARLY_DEATH_MS && ++earlyDeaths >= EARLY_DEATHS_ALLOWED) {
      console.error(`Workers keep stopping right after they start (${earlyDeaths} in a row); giving up.`);
      stop(1);
      return;
    }
    // A moment's pause: a stop signal sent to the whole process group reaches the workers and this process together.
    setTimeout(() => {
      if (!stopping) fork();
    }, 500);
  });
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    exitCode = code;
    if (started.size === 0) process.exit(code);
    for (const worker of started.keys()) worker.process.kill("SIGTERM");
    setTimeout(() => {
      for (const worker of started.keys()) worker.process.kill("SIGKILL");
      process.exit(code);
    }, STOP_WITHIN_MS).unref();
  };
  process.on("SIGTERM", () => stop(0));
  process.on("SIGINT", () => stop(0));
  for (let i = 0; i < count; i++) fork();
}

async function main() {
  const trust = parseTrustedProxies(process.env.LASTMILE_TRUSTED_PROXIES);
  const host = installListenHost();
  if (cluster.isWorker) return serve(trust, host, () => {});
  // The development server watches and recompiles the sources: one process.
  const count = dev ? 1 : installWorkers();
  const where = `${host ?? "every interface"}, port ${port}`;
  if (count === 1) return serve(trust, host, () => console.log(`Ready on ${where} (trusted proxies: ${proxiesText(trust)})`));
  supervise(count, trust, where);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
