/**
 * FreeRADIUS answering from Lastmile's tables: Access-Requests per second and
 * p50/p99 latency for 100,000 provisioned customers, against the same
 * FreeRADIUS answering the same users from its `users` file (the ceiling), on
 * this machine in the same run.
 *
 *   npm run bench:radius
 *
 * Needs Debian's freeradius (see docs/RADIUS.md). Starts its own embedded
 * PostgreSQL (or uses BENCH_DATABASE_URL's server), provisions the customers
 * with the same views the billing commands use, runs `freeradius -f` (no
 * debug output) on free high ports for each variant, and sends PAP
 * Access-Requests for random customers from CLIENTS concurrent clients with the
 * `radius` package. Then accounting on the SQL variant: Start, Interim-Update
 * and Stop for new sessions into a radacct of 1,000,000 rows, with Lastmile's
 * radacct indexes and without them. Writes the results to docs/BENCHMARKS.md
 * under "## RADIUS".
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import radius from "radius";
import { runBenchmark, withBenchDatabase, writeReportSection } from "./harness";
import { insertRadacctHistory } from "./seed";
import { connect, socketOf } from "@/db/client";
import { viaLocalSocket } from "@/db/embedded";
import { writeRadiusConfig } from "@/lib/radius/config";
import { provisionAll } from "@/lib/radius/provision";

const CUSTOMERS = 100_000;
const CLIENTS = 32;
const WARM_UP = 2_000;
const REQUESTS = 20_000;
const SECRET = "bench-localhost-secret";
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 20;
const PACED_SECONDS = 15;
/** A steady rate well below saturation: twice a full re-login of all customers (after a mass outage) spread over 15 minutes. */
const STEADY_RATE = 200;
/** radacct before the accounting phase: a year of sessions, one customer in ONLINE_ONE_IN online (as bench:sessions). */
const RADACCT = 1_000_000;
const ONLINE_ONE_IN = 3;
/** Sessions per accounting measurement (each a Start, an Interim-Update and a Stop). */
const ACCOUNTING_SESSIONS = 3_000;
/** Lastmile's own radacct indexes (migration 0020, for Online now at scale): what they add to each accounting write. */
const LASTMILE_RADACCT_INDEXES = ["radacct_lastmile_open_lower_user_idx", "radacct_lastmile_open_user_trgm_idx", "radacct_lastmile_open_address_trgm_idx"];
const FREERADIUS = ["/usr/sbin/freeradius", "/usr/sbin/radiusd"].find((p) => existsSync(p));

function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket("udp4");
    s.once("error", reject);
    s.bind(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

type User = { username: string; password: string };
type Result = { name: string; requests: number; accepted: number; lost: number; seconds: number; rps: number; p50: number; p99: number };
/** What one Access-Request cost the database: statements (transactions) and CPU of FreeRADIUS's backends, and FreeRADIUS's own CPU. */
type Cost = { statements: number; postgresCpuMs: number; freeradiusCpuMs: number };

/** CPU time (user + system, ms) of these processes, from /proc (Linux). */
function cpuMs(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** One request packet, answered or not within 2 s; the latency in ms and the answer's code, or nulls when lost. */
function exchange(socket: ReturnType<typeof createSocket>, port: number, packet: Buffer, identifier: number): Promise<{ ms: number | null; code: string | null }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const timer = setTimeout(() => {
      socket.off("message", onMessage);
      resolve({ ms: null, code: null });
    }, 2_000);
    const onMessage = (message: Buffer) => {
      if (message[1] !== identifier) return;
      clearTimeout(timer);
      socket.off("message", onMessage);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ ms, code: radius.decode({ packet: message, secret: SECRET }).code });
    };
    socket.on("message", onMessage);
    socket.send(packet, port, "127.0.0.1");
  });
}

const accessPacket = (user: User, identifier: number) =>
  radius.encode({
    code: "Access-Request",
    secret: SECRET,
    identifier,
    attributes: [["User-Name", user.username], ["User-Password", user.password], ["NAS-IP-Address", "127.0.0.1"], ["NAS-Port", 1]],
  });

const accessRequest = (socket: ReturnType<typeof createSocket>, port: number, user: User, identifier: number) => exchange(socket, port, accessPacket(user, identifier), identifier);

/** One session as a router reports it: Accounting-Start, one Interim-Update, then Stop. */
const ACCOUNTING_STEPS = ["Start", "Interim-Update", "Stop"] as const;

/** Session `n`'s Accounting-Requests for `user`, in order (each built for its identifier). */
const accountingPackets = (user: User, n: number, tag: string) =>
  ACCOUNTING_STEPS.map((status, step) => (identifier: number) =>
    radius.encode({
      code: "Accounting-Request",
      secret: SECRET,
      identifier,
      attributes: [
        ["User-Name", user.username], ["Acct-Status-Type", status], ["Acct-Session-Id", `${tag}-${n}`], ["NAS-IP-Address", "127.0.0.1"], ["NAS-Port", n % 65_536],
        ["Framed-IP-Address", `100.${64 + (n >> 16) % 64}.${(n >> 8) % 256}.${n % 256}`], ["Acct-Session-Time", step * 300],
        ["Acct-Input-Octets", step * 1_000_000], ["Acct-Output-Octets", step * 10_000_000],
      ],
    }),
  );

/**
 * `jobs` jobs from CLIENTS concurrent clients, each starting its next job as soon as the last is done; job
 * `n` sends the packets `packetsOf(n)` builds, one after another, each when the last is answered. Every
 * request and its latency; "accepted" counts the answers coded `good`.
 */
async function closedLoop(name: string, port: number, jobs: number, good: string, packetsOf: (n: number) => ((identifier: number) => Buffer)[]): Promise<Result> {
  const latencies: number[] = [];
  let accepted = 0;
  let lost = 0;
  let requests = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const socket = createSocket("udp4");
      await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
      let identifier = 0;
      while (next < jobs) {
        for (const packet of packetsOf(next++)) {
          identifier = (identifier + 1) % 256;
          requests++;
          const { ms, code } = await exchange(socket, port, packet(identifier), identifier);
          if (ms === null) lost++;
          else latencies.push(ms);
          if (code === good) accepted++;
        }
      }
      socket.close();
    }),
  );
  return summary(name, requests, accepted, lost, (performance.now() - started) / 1000, latencies);
}

/** `count` Access-Requests for random customers, as fast as they are answered. */
const load = (name: string, port: number, users: User[], count: number) =>
  closedLoop(name, port, count, "Access-Accept", () => [(identifier) => accessPacket(users[randomInt(users.length)]!, identifier)]);

/** `sessions` sessions of random customers (Start, Interim-Update, Stop each), as fast as they are answered. */
const accounting = (name: string, port: number, users: User[], sessions: number, tag: string) =>
  closedLoop(name, port, sessions, "Accounting-Response", (n) => accountingPackets(users[randomInt(users.length)]!, n, tag));

/**
 * Access-Requests offered at a fixed rate (open loop, as a fleet of NASes sends them), not as fast as the
 * server answers: the latency a NAS sees when the server is busy but not saturated. Under saturation,
 * p99 is set by how many clients wait in the queue, not by the server.
 */
async function paced(name: string, port: number, users: User[], perSecond: number, count: number): Promise<Result> {
  const sockets = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const socket = createSocket("udp4");
      socket.setMaxListeners(0); // several requests may wait on one socket
      await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
      return socket;
    }),
  );
  const latencies: number[] = [];
  let accepted = 0;
  let lost = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let sent = 0; sent < count; sent++) {
    const due = started + (sent * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    // 256 identifiers per socket: the request `sent` uses socket sent % CLIENTS and its own identifier.
    const socket = sockets[sent % CLIENTS]!;
    const identifier = Math.floor(sent / CLIENTS) % 256;
    pending.push(
      accessRequest(socket, port, users[randomInt(users.length)]!, identifier).then(({ ms, code }) => {
        if (ms === null) lost++;
        else latencies.push(ms);
        if (code === "Access-Accept") accepted++;
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.close();
  return summary(name, count, accepted, lost, seconds, latencies);
}

function summary(name: string, requests: number, accepted: number, lost: number, seconds: number, latencies: number[]): Result {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { name, requests, accepted, lost, seconds, rps: requests / seconds, p50: at(0.5), p99: at(0.99) };
}

async function startServer(dir: string, port: number, probe: User): Promise<ChildProcess> {
  const child = spawn(FREERADIUS!, ["-f", "-d", dir, "-l", "stdout"], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TZ: "UTC" } });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const socket = createSocket("udp4");
  await new Promise<void>((r) => socket.bind(0, "127.0.0.1", () => r()));
  try {
    for (let i = 0; i < 120; i++) {
      if (child.exitCode !== null) throw new Error(`freeradius exited:\n${output.slice(-3000)}`);
      const { code } = await accessRequest(socket, port, probe, i % 256);
      if (code) return child;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`freeradius did not answer:\n${output.slice(-3000)}`);
  } finally {
    socket.close();
  }
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

async function main() {
  if (!FREERADIUS) throw new Error("bench:radius needs Debian's freeradius, freeradius-postgresql and freeradius-utils (see docs/RADIUS.md)");
  await withBenchDatabase("lastmile_bench_radius", async (url) => {
    const database = connect(url, { max: 4 });
    const sql = database.sql;
    process.stdout.write(`provisioning ${CUSTOMERS.toLocaleString("en")} customers… `);
    // The books as the billing commands would leave them for paid customers (no ledger here: this measures the network side).
    const [pkg] = await sql`insert into packages (name, customer_price, validity_days, download_mbps, upload_mbps) values ('Bench 20', 2000, 30, 20, 10) returning id`;
    const [reseller] = await sql`insert into resellers (name, type, currency) values ('Bench ISP', 'prepaid', 'USD') returning id`;
    const [area] = await sql`insert into areas (name) values ('Bench area') returning id`;
    await sql`insert into customers (reseller_id, area_id, username, name, expires_at)
      select ${reseller!.id}, ${area!.id}, 'bench' || g, 'Bench ' || g, now() + interval '30 days' from generate_series(1, ${CUSTOMERS}) g`;
    await sql`insert into subscriptions (customer_id, reseller_id, package_id, kind, starts_at, expires_at, price_charged, customer_price)
      select id, reseller_id, ${pkg!.id}, 'activation', now(), expires_at, 1500, 2000 from customers`;
    await provisionAll(database.db);
    await sql`analyze`;
    const users = (await sql`select username, service_password as password from customers order by username`) as unknown as User[];
    console.log("done");

    const radiusPassword = `bench-${randomInt(1e9)}`;
    await sql.unsafe(`ALTER ROLE radius WITH LOGIN PASSWORD '${radiusPassword}'`);
    const parsed = new URL(url);
    // FreeRADIUS on the database's machine reaches it through its Unix socket (cheaper than loopback TCP),
    // as docs/RADIUS.md advises: the same check the app makes (db/embedded.ts viaLocalSocket).
    const socketDir = socketOf(await viaLocalSocket(url)).host;
    const local = socketDir !== undefined;
    const dbHost = socketDir ?? parsed.hostname;
    const work = mkdtempSync(path.join(os.tmpdir(), "lastmile-bench-radius-"));
    const results: Result[] = [];
    const pacedResults: Result[][] = [];
    let pacedRates: number[] | undefined;
    let sqlCost: Cost | undefined;
    let fileCost: Cost | undefined;
    const accountingResults: { result: Result; cost: Cost }[] = [];
    try {
      for (const variant of ["sql", "file"] as const) {
        const [authPort, acctPort, innerTunnelPort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
        const dir = writeRadiusConfig({
          dir: path.join(work, variant),
          database: { host: dbHost, port: Number(parsed.port), name: parsed.pathname.slice(1), user: "radius", password: radiusPassword },
          authPort, acctPort, innerTunnelPort, listenAddress: "127.0.0.1", localhostSecret: SECRET, stayAsStartingUser: true, logDir: work,
        });
        if (variant === "file") {
          // The ceiling: the same users with the same reply, from FreeRADIUS's users file, no SQL at all.
          rmSync(path.join(dir, "mods-enabled", "sql"));
          const site = path.join(dir, "sites-available", "default");
          writeFileSync(site, readFileSync(site, "utf8").replace(/^(\t+)sql$/gm, "$1-sql"));
          const users_file = path.join(dir, "mods-config", "files", "authorize");
          const entries = users.map((u) => `${u.username} Cleartext-Password := "${u.password}"\n\tMikrotik-Rate-Limit := "10M/20M"\n`).join("");
          writeFileSync(users_file, entries + readFileSync(users_file, "utf8"));
        }
        process.stdout.write(`${variant}: starting freeradius… `);
        const server = await startServer(dir, authPort, users[0]!);
        try {
          process.stdout.write("warming up… ");
          await load(variant, authPort, users, WARM_UP);
          process.stdout.write("measuring… ");
          /** Runs `work` and what each of its requests cost PostgreSQL (statements, CPU of FreeRADIUS's backends) and FreeRADIUS (CPU). */
          const costed = async (work: () => Promise<Result>): Promise<{ result: Result; cost: Cost }> => {
            const backends = (await sql`select pid from pg_stat_activity where usename = 'radius'`).map((b) => Number(b.pid));
            const transactions = async () => Number((await sql`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`)[0]!.n);
            const [pg0, fr0, tx0] = [cpuMs(backends), cpuMs([server.pid!]), await transactions()];
            const result = await work();
            const [pg1, fr1] = [cpuMs(backends), cpuMs([server.pid!])];
            // A backend that has gone idle reports its transactions within PostgreSQL's idle stats interval (10 s).
            await new Promise((resolve) => setTimeout(resolve, 11_000));
            // The bench's own connection commits one transaction per sample: subtract it.
            const per = (v: number) => v / result.requests;
            return { result, cost: { statements: per(await transactions() - tx0 - 1), postgresCpuMs: per(pg1 - pg0), freeradiusCpuMs: per(fr1 - fr0) } };
          };
          const { result: r, cost } = await costed(() => load(variant === "sql" ? "FreeRADIUS on Lastmile's tables (rlm_sql, PostgreSQL)" : "FreeRADIUS users file (ceiling)", authPort, users, REQUESTS));
          if (variant === "sql") sqlCost = cost;
          else fileCost = cost;
          /** One measurement on the console; `good` names what its good answers are ("accepted", "answered"). */
          const report = (m: Result, c: Cost, good: string) =>
            console.log(`${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ${m.accepted} ${good}, ${m.lost} lost; per request: ${c.statements.toFixed(2)} statements, PostgreSQL ${c.postgresCpuMs.toFixed(3)} ms CPU, FreeRADIUS ${c.freeradiusCpuMs.toFixed(3)} ms CPU`);
          report(r, cost, "accepted");
          results.push(r);
          // Both variants are offered the same rates: a steady one, and half what Lastmile's tables answered at saturation.
          pacedRates ??= [STEADY_RATE, Math.max(STEADY_RATE, Math.round(r.rps / 2 / 10) * 10)];
          const offered: Result[] = [];
          for (const rate of pacedRates) {
            process.stdout.write(`${variant}: ${rate} requests/s offered… `);
            const p = await paced(`${r.name}, ${rate}/s offered`, authPort, users, rate, rate * PACED_SECONDS);
            console.log(`p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms, ${p.accepted} accepted, ${p.lost} lost`);
            offered.push(p);
          }
          pacedResults.push(offered);
          if (variant === "sql") {
            // Accounting into radacct (1,000,000 rows), with Lastmile's radacct indexes and then without them. The history
            // comes only now: its open sessions would have made the Access-Requests above meet Simultaneous-Use.
            process.stdout.write(`sql: ${RADACCT.toLocaleString("en")} radacct rows… `);
            await insertRadacctHistory(sql, { rows: RADACCT, openOneIn: ONLINE_ONE_IN });
            await sql`analyze radius.radacct`;
            for (const indexed of [true, false]) {
              if (!indexed) for (const index of LASTMILE_RADACCT_INDEXES) await sql.unsafe(`drop index radius.${index}`);
              process.stdout.write(`accounting${indexed ? "" : " without Lastmile's radacct indexes"}… `);
              const measured = await costed(() =>
                accounting(`Accounting${indexed ? "" : ", without Lastmile's three radacct indexes"}`, acctPort, users, ACCOUNTING_SESSIONS, indexed ? "bench-a" : "bench-b"),
              );
              report(measured.result, measured.cost, "answered");
              accountingResults.push(measured);
            }
          }
        } finally {
          await stopServer(server);
        }
      }
      const [onSql, onFile] = results as [Result, Result];
      const ratio = onSql.rps / onFile.rps;
      const [pg] = (await sql`select version() as v`) as unknown as [{ v: string }];
      const fr = (await new Promise<string>((resolve) => {
        const c = spawn(FREERADIUS!, ["-v"]);
        let out = "";
        c.stdout.on("data", (d) => (out += d));
        c.on("exit", () => resolve(out.split("\n")[0] ?? ""));
      }));
      const row = (r: Result) => `| ${r.name} | ${r.requests.toLocaleString("en")} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.accepted.toLocaleString("en")} | ${r.lost} |`;
      const [pacedSql, pacedFile] = pacedResults as [Result[], Result[]];
      const [steadySql, halfSql] = pacedSql as [Result, Result];
      const met = (ok: boolean) => (ok ? "met" : "NOT met");
      writeReportSection(
        "RADIUS",
        [
          "## RADIUS",
          "",
          `\`npm run bench:radius\`, ${new Date().toISOString().slice(0, 10)}: ${CUSTOMERS.toLocaleString("en")} provisioned customers, PAP Access-Requests for random customers, \`freeradius -f\` without debug output, each variant on its own ports in the same run on this machine (${os.cpus().length} CPU cores, shared). FreeRADIUS reaches PostgreSQL ${local ? "through its Unix socket (same machine)" : `at ${parsed.hostname}`}.`,
          `${fr.trim()}; ${pg.v.split(",")[0]}.`,
          "",
          `**Saturation**: ${CLIENTS} clients, each sending its next request as soon as the last is answered (${WARM_UP.toLocaleString("en")} warm-up, then ${REQUESTS.toLocaleString("en")} measured).`,
          "",
          "| variant | requests | req/s | p50 ms | p99 ms | accepted | lost |",
          "|---|---:|---:|---:|---:|---:|---:|",
          row(onSql),
          row(onFile),
          "",
          `**Offered load**: ${pacedRates!.join(" and ")} requests/s for ${PACED_SECONDS} s each to each variant (${STEADY_RATE}/s is twice all ${CUSTOMERS.toLocaleString("en")} customers logging in again within 15 minutes after an outage; the other is half what Lastmile's tables answered at saturation), sent on schedule whether or not earlier ones were answered, as a fleet of routers sends them: the latency a router sees.`,
          "",
          "| variant | requests | req/s | p50 ms | p99 ms | accepted | lost |",
          "|---|---:|---:|---:|---:|---:|---:|",
          ...pacedSql.map(row),
          ...pacedFile.map(row),
          "",
          `Lastmile's tables reach **${ratio.toFixed(2)}×** the users file at saturation (target ≥ ${TARGET_RATIO}×: ${met(ratio >= TARGET_RATIO)}). p99 (target < ${TARGET_P99_MS} ms): ${steadySql.p99.toFixed(2)} ms at ${STEADY_RATE}/s (${met(steadySql.p99 < TARGET_P99_MS)}), ${halfSql.p99.toFixed(2)} ms at ${pacedRates![1]}/s (${met(halfSql.p99 < TARGET_P99_MS)}), ${onSql.p99.toFixed(2)} ms at saturation, which is ${CLIENTS} clients queueing (the users file's is ${onFile.p99.toFixed(2)} ms there).`,
          `Per Access-Request (measured at saturation): on Lastmile's tables ${sqlCost!.statements.toFixed(2)} statements to PostgreSQL, ${sqlCost!.postgresCpuMs.toFixed(3)} ms of PostgreSQL CPU and ${sqlCost!.freeradiusCpuMs.toFixed(3)} ms of FreeRADIUS CPU; from the users file ${fileCost!.freeradiusCpuMs.toFixed(3)} ms of FreeRADIUS CPU. Machine load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(", ")}.`,
          "",
          `**Accounting** (FreeRADIUS on Lastmile's tables, radacct holding ${RADACCT.toLocaleString("en")} sessions, one customer in ${ONLINE_ONE_IN} online): ${ACCOUNTING_SESSIONS.toLocaleString("en")} sessions of random customers, each an Accounting-Start, an Interim-Update and a Stop, from ${CLIENTS} clients each sending its next request as soon as the last is answered; then the same on new sessions after dropping the three radacct indexes of migration 0020 (Online now's scope and search), to see what they cost each write.`,
          "",
          "| variant | requests | req/s | p50 ms | p99 ms | answered | lost |",
          "|---|---:|---:|---:|---:|---:|---:|",
          ...accountingResults.map((a) => row(a.result)),
          "",
          `Per Accounting-Request: ${accountingResults.map((a, i) => `${i === 0 ? "with the indexes" : "without them"} ${a.cost.statements.toFixed(2)} statements, ${a.cost.postgresCpuMs.toFixed(3)} ms of PostgreSQL CPU and ${a.cost.freeradiusCpuMs.toFixed(3)} ms of FreeRADIUS CPU`).join("; ")}: the three indexes cost ${(accountingResults[0]!.cost.postgresCpuMs - accountingResults[1]!.cost.postgresCpuMs).toFixed(3)} ms of PostgreSQL CPU per accounting request. For scale: ${CUSTOMERS.toLocaleString("en")} customers online with a 5-minute Interim-Update interval send about ${Math.round(CUSTOMERS / 300)} Accounting-Requests a second.`,
          "",
          "Every SQL answer reads radcheck, radusergroup, radgroupcheck and radgroupreply, counts the customer's open sessions in radacct (Simultaneous-Use) and writes a radpostauth row, as a production install does, with the configuration `npm run radius:config` writes. What was measured and changed for speed, and what is still the cost: docs/RADIUS.md, Speed.",
          "",
        ].join("\n"),
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
      await database.close();
    }
  });
}

runBenchmark(main);
