/**
 * Stripe webhook throughput: signed `checkout.session.completed` events POSTed
 * to the running app's `/api/payments/stripe/webhook` (route) against the same
 * credits posted by calling lib/payments' `settleSession` directly (lib), in
 * the same run, with 30 % redeliveries on both sides; then proof that every
 * paid session was credited exactly once.
 *
 *   npm run bench:webhook
 *
 * Starts its own embedded PostgreSQL in a temporary folder (or, with
 * BENCH_DATABASE_URL, a scratch database on that server), builds the app if
 * .next does not hold a build of the current sources (skip with
 * BENCH_SKIP_BUILD=1), serves it with `next start` on a free port against the
 * benchmark database, and stops both at the end. Writes the results to
 * docs/BENCHMARKS.md under "## Webhook". With BENCH_PROFILE_DIR=<dir>, the app
 * writes a V8 CPU profile of its run into <dir>; BENCH_ACCEPT_ENCODING sets the
 * clients' Accept-Encoding (default: fetch's `gzip, deflate`).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Stripe from "stripe";
import { buildIfNeeded } from "../scripts/build";
import { addCpu, cpuNow, noCpu, percentile, postmasterPid, type Cpu } from "./cpu";
import { runBenchmark, startBuiltApp, withBenchDatabase, writeReportSection, type BuiltApp } from "./harness";
import { insertPendingPayments } from "./seed";
import { connect, type Database } from "@/db/client";
import { resellers, type OnlinePayment } from "@/db/schema";
import { checkInvariants } from "@/lib/billing/invariants";
import { sessionFromStripe, type GatewaySession } from "@/lib/payments/gateway";
import { eventBody, sandboxSessionObject } from "@/lib/payments/sandbox";
import { settleSession } from "@/lib/payments/settle";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESELLERS = 50;
/** Paid sessions per side. */
const UNIQUE = 700;
/** Redeliveries per side (of events already in the list, same event id), shuffled in. */
const DUPLICATES = 300;
const DELIVERIES = UNIQUE + DUPLICATES;
const CLIENTS = 16;
/** The app's pool (db/client.ts getDb): the lib side gets the same. */
const POOL = 10;
/** Events for sessions nobody started, through each side before measuring: they credit nothing. */
const WARM_UP = 200;
const PHASE_TIME_LIMIT_MS = 120_000;
/** Each side runs in this many alternating slices (route then lib, lib then route, …), to even out drift on a shared machine. */
const SLICES = 4;
const TARGET_RATIO = 0.5;
/** Unset: fetch's own `Accept-Encoding: gzip, deflate`. BENCH_ACCEPT_ENCODING=identity shows what the answers' compression costs. */
const ACCEPT_ENCODING = process.env.BENCH_ACCEPT_ENCODING?.trim() || null;

type Side = "route" | "lib";
type Delivery = { body: string; session: GatewaySession; duplicate: boolean };
type Outcome = "credited" | "duplicate" | "other";
type Measurement = {
  deliveries: number;
  elapsedMs: number;
  latenciesMs: number[];
  outcomes: Record<Outcome, number>;
  statuses: Map<number, number>;
  /** Answers that came back compressed. */
  compressed: number;
  failures: number;
  timedOut: boolean;
};

let stopping = false;

// ---------------------------------------------------------------------------
// The app
// ---------------------------------------------------------------------------

type App = BuiltApp;

function startApp(databaseUrl: string, webhookSecret: string): Promise<App> {
  // BENCH_PROFILE_DIR: the app writes a V8 CPU profile there when it stops (for looking into the route's cost).
  const profile = process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`] : [];
  return startBuiltApp({ databaseUrl, env: { LASTMILE_PAYMENTS_SANDBOX: "1", STRIPE_WEBHOOK_SECRET: webhookSecret }, readyPath: "/login", nodeArgs: profile });
}

async function seedResellers(database: Database): Promise<string[]> {
  const rows = await database.db
    .insert(resellers)
    .values(
      Array.from({ length: RESELLERS }, (_, i) => ({
        name: `Bench webhook reseller ${i} ${randomUUID().slice(0, 8)}`,
        type: i % 2 === 0 ? ("prepaid" as const) : ("postpaid" as const),
        collectionLimit: i % 2 === 0 ? 0n : 5_000_000n,
        currency: "USD",
      })),
    )
    .returning({ id: resellers.id });
  return rows.map((row) => row.id);
}

/** `count` pending sandbox payments spread over the resellers, as the start command leaves them. */
function seedPayments(database: Database, resellerIds: string[], side: Side, count: number): Promise<OnlinePayment[]> {
  return insertPendingPayments(database.db, { resellerIds, count, tag: `bench_${side}` });
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** One paid event per payment, plus DUPLICATES redeliveries (same event id) of as many of them, shuffled. */
function deliveriesFor(payments: OnlinePayment[]): Delivery[] {
  const unique = payments.map((payment): Delivery => {
    const object = sandboxSessionObject(payment, "paid");
    return {
      body: eventBody("checkout.session.completed", object),
      session: sessionFromStripe(object as unknown as Stripe.Checkout.Session),
      duplicate: false,
    };
  });
  const resent = shuffle([...unique]).slice(0, DUPLICATES).map((delivery) => ({ ...delivery, duplicate: true }));
  return shuffle([...unique, ...resent]);
}

/** Events for sessions no payment has: the whole path runs and nothing is credited. */
function warmUpDeliveries(count: number): Delivery[] {
  return Array.from({ length: count }, (_, i) => {
    const object = {
      id: `cs_bench_warmup_${i}_${randomBytes(4).toString("hex")}`,
      object: "checkout.session",
      status: "complete",
      payment_status: "paid",
      amount_total: 1000,
      currency: "usd",
      client_reference_id: null,
      metadata: {},
      payment_intent: null,
      livemode: false,
      url: null,
    };
    return {
      body: eventBody("checkout.session.completed", object),
      session: sessionFromStripe(object as unknown as Stripe.Checkout.Session),
      duplicate: false,
    };
  });
}

// ---------------------------------------------------------------------------
// The two sides
// ---------------------------------------------------------------------------

/** `encoding`: the answer's Content-Encoding (the clients ask for gzip, deflate like most HTTP clients). */
type Sent = { status: number; outcome: Outcome; encoding: string | null };

/**
 * The clients share the machine with the app, so they use node:http over
 * keep-alive sockets (16, one per client), which costs far less CPU per
 * request than fetch.
 */
const clientAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** POSTs one signed delivery (signed just before the phase, like a redelivery: its own timestamp). */
function postEvent(webhookUrl: string, body: string, signature: string): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      webhookUrl,
      {
        method: "POST",
        agent: clientAgent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "stripe-signature": signature,
          "accept-encoding": ACCEPT_ENCODING ?? "gzip, deflate",
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const encoding = response.headers["content-encoding"] ?? null;
          const raw = Buffer.concat(chunks);
          let answer: { duplicate?: boolean; outcome?: string } = {};
          try {
            answer = JSON.parse((encoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8"));
          } catch {
            // Not JSON: counted as "other".
          }
          const outcome: Outcome = answer.duplicate ? "duplicate" : answer.outcome?.startsWith("credited") ? "credited" : "other";
          resolve({ status: response.statusCode ?? 0, outcome, encoding });
        });
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

async function settleDirectly(database: Database, session: GatewaySession): Promise<Sent> {
  const result = await database.db.transaction((tx) => settleSession(tx, session, "paid", "bench (lib)"));
  const outcome: Outcome = result.outcome.startsWith("credited")
    ? "credited"
    : result.outcome.startsWith("no change: already credited")
      ? "duplicate"
      : "other";
  return { status: 200, outcome, encoding: null };
}

async function measure<T>(items: T[], run: (item: T) => Promise<Sent>): Promise<Measurement> {
  const latenciesMs: number[] = [];
  const outcomes: Record<Outcome, number> = { credited: 0, duplicate: 0, other: 0 };
  const statuses = new Map<number, number>();
  let next = 0;
  let failures = 0;
  let compressed = 0;
  let firstError: unknown;
  let timedOut = false;
  const started = performance.now();
  const deadline = started + PHASE_TIME_LIMIT_MS;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < items.length && !stopping) {
        if (performance.now() > deadline) {
          timedOut = true;
          return;
        }
        const item = items[next++]!;
        const t0 = performance.now();
        try {
          const sent = await run(item);
          latenciesMs.push(performance.now() - t0);
          statuses.set(sent.status, (statuses.get(sent.status) ?? 0) + 1);
          outcomes[sent.outcome]++;
          if (sent.encoding) compressed++;
        } catch (error) {
          failures++;
          firstError ??= error;
        }
      }
    }),
  );
  if (firstError) console.error("first failure:", firstError);
  return { deliveries: latenciesMs.length, elapsedMs: performance.now() - started, latenciesMs, outcomes, statuses, compressed, failures, timedOut };
}

function combine(parts: Measurement[]): Measurement {
  const statuses = new Map<number, number>();
  for (const part of parts) for (const [status, n] of part.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n);
  const outcomes: Record<Outcome, number> = { credited: 0, duplicate: 0, other: 0 };
  for (const part of parts) for (const key of Object.keys(outcomes) as Outcome[]) outcomes[key] += part.outcomes[key];
  const total = (pick: (m: Measurement) => number) => parts.reduce((sum, part) => sum + pick(part), 0);
  return {
    deliveries: total((m) => m.deliveries),
    elapsedMs: total((m) => m.elapsedMs),
    latenciesMs: parts.flatMap((part) => part.latenciesMs),
    outcomes,
    statuses,
    compressed: total((m) => m.compressed),
    failures: total((m) => m.failures),
    timedOut: parts.some((part) => part.timedOut),
  };
}

const perSecond = (m: Measurement) => (m.deliveries / m.elapsedMs) * 1000;
const non200 = (m: Measurement) => [...m.statuses].filter(([status]) => status !== 200).reduce((sum, [, n]) => sum + n, 0) + m.failures;

// ---------------------------------------------------------------------------
// Proof
// ---------------------------------------------------------------------------

type SideProof = { payments: number; paidWithEntry: number; exactlyOne: number; none: number; doubles: number; mismatched: number };
type Proof = {
  sides: Record<Side, SideProof>;
  onlineEntries: number;
  strayEntries: number;
  routeEvents: number;
  routeEventsCredited: number;
  balanceTotal: bigint;
  paidTotal: bigint;
  violations: { rule: string; detail: string }[];
};

async function prove(database: Database): Promise<Proof> {
  const { sql } = database;
  const sides = {} as Record<Side, SideProof>;
  for (const side of ["route", "lib"] as const) {
    const [row] = await sql`
      with per_session as (
        select op.id, op.status, op.ledger_entry_id, count(le.id)::int as credits,
          coalesce(bool_and(le.id = op.ledger_entry_id and le.amount = op.amount and le.reseller_id = op.reseller_id), false) as matches
        from online_payments op
        left join ledger_entries le on le.kind = 'online_payment' and le.idempotency_key = op.checkout_session_id
        where op.checkout_session_id like ${`cs\\_bench\\_${side}\\_%`}
        group by op.id)
      select count(*)::int as payments,
        count(*) filter (where status = 'paid' and ledger_entry_id is not null)::int as paid_with_entry,
        count(*) filter (where credits = 1 and matches)::int as exactly_one,
        count(*) filter (where credits = 0)::int as none,
        count(*) filter (where credits > 1)::int as doubles,
        count(*) filter (where credits = 1 and not matches)::int as mismatched
      from per_session`;
    sides[side] = {
      payments: row!.payments,
      paidWithEntry: row!.paid_with_entry,
      exactlyOne: row!.exactly_one,
      none: row!.none,
      doubles: row!.doubles,
      mismatched: row!.mismatched,
    };
  }
  const [entries] = await sql`select count(*)::int as online_entries,
      count(*) filter (where not exists (select 1 from online_payments op where op.ledger_entry_id = le.id))::int as stray
    from ledger_entries le where le.kind = 'online_payment'`;
  const [events] = await sql`select count(*)::int as events, count(*) filter (where outcome like 'credited%')::int as credited
    from stripe_events where checkout_session_id like ${"cs\\_bench\\_route\\_%"}`;
  const [totals] = await sql`select (select coalesce(sum(balance), 0) from resellers) as balances,
      (select coalesce(sum(amount), 0) from online_payments where status = 'paid') as paid`;
  return {
    sides,
    onlineEntries: entries!.online_entries,
    strayEntries: entries!.stray,
    routeEvents: events!.events,
    routeEventsCredited: events!.credited,
    balanceTotal: BigInt(totals!.balances),
    paidTotal: BigInt(totals!.paid),
    violations: await checkInvariants(database.db),
  };
}

function proofHolds(proof: Proof): boolean {
  const sidesHold = Object.values(proof.sides).every(
    (s) => s.payments === UNIQUE && s.paidWithEntry === UNIQUE && s.exactlyOne === UNIQUE && s.none === 0 && s.doubles === 0 && s.mismatched === 0,
  );
  return (
    sidesHold &&
    proof.onlineEntries === 2 * UNIQUE &&
    proof.strayEntries === 0 &&
    proof.routeEvents === UNIQUE &&
    proof.routeEventsCredited === UNIQUE &&
    proof.balanceTotal === proof.paidTotal &&
    proof.violations.length === 0
  );
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

const cpuPer = (use: Cpu, m: Measurement) => (use.app + use.bench + use.postgres) / Math.max(1, m.deliveries);

/** CPU ms per delivery by process, and how busy the whole machine was. */
function cpuLine(use: Cpu, m: Measurement): string {
  const per = (ms: number) => (ms / Math.max(1, m.deliveries)).toFixed(2);
  const busy = `machine ${((use.busy / Math.max(1, use.total)) * 100).toFixed(0)} % busy over ${os.cpus().length} cores`;
  return (
    `${per(use.app + use.bench + use.postgres)} ms in all: app ${per(use.app)}, benchmark process ${per(use.bench)}, ` +
    `PostgreSQL ${per(use.postgres)} ms per delivery; ${busy}`
  );
}

function markdown(results: Record<Side, Measurement>, cpu: Record<Side, Cpu>, proof: Proof, environment: string[]): string {
  const ratio = perSecond(results.route) / perSecond(results.lib);
  const statusList = (m: Measurement) =>
    [...m.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${n} × ${status}`).join(", ") + (m.failures ? `, ${m.failures} failed` : "");
  const row = (side: Side, label: string) => {
    const m = results[side];
    return (
      `| ${label}${m.timedOut ? " (stopped at the time limit)" : ""} | ${m.deliveries} | ${perSecond(m).toFixed(0)} | ` +
      `${percentile(m.latenciesMs, 50).toFixed(1)} / ${percentile(m.latenciesMs, 95).toFixed(1)} | ${m.outcomes.credited} | ${m.outcomes.duplicate} | ` +
      `${m.outcomes.other} | ${side === "route" ? statusList(m) : m.failures ? `${m.failures} failed` : "—"} |`
    );
  };
  const proofLine = (side: Side) => {
    const s = proof.sides[side];
    return (
      `${side}: ${s.payments} sessions, ${s.paidWithEntry} paid with their ledger entry, ${s.exactlyOne} with exactly one ` +
      `\`online_payment\` entry keyed by the session id (same amount, reseller and entry as the payment), ${s.none} without, ` +
      `**${s.doubles} credited twice**${s.mismatched ? `, ${s.mismatched} MISMATCHED` : ""}.`
    );
  };
  const lines = [
    "## Webhook",
    "",
    `Stripe webhook throughput: ${DELIVERIES.toLocaleString("en-US")} signed \`checkout.session.completed\` deliveries`,
    `(${UNIQUE} paid sessions + ${DUPLICATES} redeliveries of the same events, same event id, shuffled in) POSTed by ${CLIENTS} concurrent clients to`,
    "`POST /api/payments/stripe/webhook` of the built app (`next start`, sandbox gateway, no Stripe keys) (route),",
    `against the same kind of credits posted by calling \`settleSession\` from lib/payments directly, one transaction per delivery,`,
    `${CLIENTS} concurrent workers, ${UNIQUE} other pending sessions with the same ${DUPLICATES} duplicates (lib), on the same PostgreSQL server`,
    "in the same run. Regenerate with `npm run bench:webhook`.",
    "",
    "| Side | Deliveries | events/s | p50 / p95 ms | credited | answered as duplicate | other | HTTP statuses |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    row("route", "route (HTTP → handleStripeWebhook)"),
    row("lib", "lib (settleSession in a transaction)"),
    "",
    `**Route / lib: ${ratio.toFixed(2)}×** (target ≥ ${TARGET_RATIO}×: ${ratio >= TARGET_RATIO ? "met" : "NOT met"}). ` +
      `Double credits: **${proof.sides.route.doubles + proof.sides.lib.doubles}**.`,
    "",
    "What each delivery does. **Route**: HTTP with keep-alive, the raw body read and its `Stripe-Signature` verified",
    "(HMAC-SHA256, timestamp tolerance), then one transaction: the event id inserted into `stripe_events`",
    "(`ON CONFLICT DO NOTHING`; a redelivery, even one arriving while the first is still being applied, waits on the",
    "unique key and is answered 200 `duplicate`), `settleSession` (payment row locked `FOR UPDATE`, checked against",
    "the event, one credit through `recordCashReceived` keyed by the session id: reseller row locked, ledger entry,",
    "journal entry with two lines, new balance, audit rows, idempotency row, payment marked paid), and the event's",
    "outcome written back. **Lib**: the same `settleSession` in its own transaction, without the HTTP, the signature",
    "and the event row; a redelivery is stopped by the payment row's lock and its ledger entry (`no change: already",
    "credited`). Both sides use a pool of " + `${POOL} connections (the app's \`getDb\`); ${RESELLERS} resellers (half prepaid, half`,
    "postpaid), amounts 1.00–999.99 USD. Before measuring, each side handled",
    `${WARM_UP} events for sessions no payment has (they credit nothing). Each side runs in ${SLICES} alternating slices (route then lib,`,
    `then lib then route, …); every slice is stopped after ${PHASE_TIME_LIMIT_MS / 1000} s. The machine is shared, so absolute figures vary`,
    "from run to run; the ratio is what to compare.",
    "",
    "Proof, queried afterwards:",
    "",
    `- ${proofLine("route")}`,
    `- ${proofLine("lib")}`,
    `- ${proof.onlineEntries} \`online_payment\` ledger entries in all (${2 * UNIQUE} expected), ${proof.strayEntries} not linked to a payment; ` +
      `${proof.routeEvents} bench events in \`stripe_events\` (${UNIQUE} expected), ${proof.routeEventsCredited} of them credited.`,
    `- Resellers' balances sum to ${proof.balanceTotal} minor units, paid payments to ${proof.paidTotal}; ` +
      `\`checkInvariants\`: ${proof.violations.length === 0 ? "all hold" : `VIOLATED (${proof.violations.length}: ${proof.violations.slice(0, 3).map((v) => v.rule).join(", ")})`}.`,
    "",
    "CPU time per delivery during each measured phase (from /proc: the app's process group, the benchmark process —",
    "the HTTP clients on the route side, Drizzle and postgres.js on the lib side —, and this PostgreSQL server's processes):",
    "",
    `- route: ${cpuLine(cpu.route, results.route)}`,
    `- lib: ${cpuLine(cpu.lib, results.lib)}`,
    `- route answers compressed by the app: ${results.route.compressed} of ${results.route.deliveries} ` +
      `(clients' Accept-Encoding: ${ACCEPT_ENCODING ?? "gzip, deflate"}).`,
    "",
    `Where the route's time goes. App, clients and database share ${os.cpus().length} cores, so throughput follows CPU per delivery:`,
    `${cpuPer(cpu.lib, results.lib).toFixed(1)} ms for lib against ${cpuPer(cpu.route, results.route).toFixed(1)} ms for the route ` +
      `(a CPU ratio of ${(cpuPer(cpu.lib, results.lib) / cpuPer(cpu.route, results.route)).toFixed(2)}×). The route pays for the HTTP clients,`,
    "two more statements (the `stripe_events` row) and the app's web layer on top of the same database work. A V8 profile of",
    "`next start` during this benchmark (`BENCH_PROFILE_DIR`, 2026-11-25) put about a quarter of the app's CPU in postgres.js",
    "(mostly its socket writes), an eighth in the bundled Drizzle, lib and route code, a tenth in module loading, and the rest in",
    "the web layer: Node's HTTP server, Next's request handling (router, an AbortSignal per request, async hooks, web",
    "Request and stream adapters) and gzip. HTTP clients ask for `gzip, deflate`, and Next's built-in compression gzipped every",
    "answer of about 60 bytes (streamed without a Content-Length, so its 1 kB threshold never applied): about 9 % of the",
    "app's CPU, plus the clients' gunzip, for a ratio of 0.39×–0.47×. The route now answers with",
    "`Cache-Control: no-store, no-transform`, which Next's compression skips (the line above counts compressed answers).",
    "The clients are node:http over 16 keep-alive sockets rather than fetch, whose undici stack cost this shared machine",
    "about a millisecond more CPU per delivery.",
    "",
    ...environment.map((line) => `- ${line}`),
    "",
  ];
  return lines.join("\n");
}

// ---------------------------------------------------------------------------

async function main() {
  if (process.env.BENCH_SKIP_BUILD === "1") {
    if (!existsSync(path.join(ROOT, ".next", "BUILD_ID"))) throw new Error("BENCH_SKIP_BUILD=1 but .next holds no build: run `npm run build` first.");
  } else {
    buildIfNeeded(ROOT);
  }

  await withBenchDatabase("lastmile_bench_webhook", async (url, admin) => {
    const [{ version }] = (await admin`select current_setting('server_version') as version`) as unknown as [{ version: string }];
    const webhookSecret = `whsec_bench_${randomBytes(24).toString("base64url")}`;
    const database = connect(url, { max: POOL });
    let app: App | undefined;
    const interrupt = () => {
      stopping = true;
      void app?.stop();
    };
    process.once("SIGINT", interrupt);
    process.once("SIGTERM", interrupt);
    try {
      process.stdout.write("starting the app… ");
      app = await startApp(url, webhookSecret);
      const webhookUrl = `${app.url}/api/payments/stripe/webhook`;
      process.stdout.write("seeding… ");
      const resellerIds = await seedResellers(database);
      const payments: Record<Side, OnlinePayment[]> = {
        route: await seedPayments(database, resellerIds, "route", UNIQUE),
        lib: await seedPayments(database, resellerIds, "lib", UNIQUE),
      };
      const deliveries: Record<Side, Delivery[]> = { route: deliveriesFor(payments.route), lib: deliveriesFor(payments.lib) };
      const sign = (list: Delivery[]) =>
        list.map((delivery) => ({ body: delivery.body, signature: Stripe.webhooks.generateTestHeaderString({ payload: delivery.body, secret: webhookSecret }) }));

      process.stdout.write("warming up… ");
      const warmRoute = await measure(sign(warmUpDeliveries(WARM_UP)), (d) => postEvent(webhookUrl, d.body, d.signature));
      const warmLib = await measure(warmUpDeliveries(WARM_UP), (d) => settleDirectly(database, d.session));
      if (non200(warmRoute) || warmLib.failures) throw new Error(`warm-up failed: route ${non200(warmRoute)}, lib ${warmLib.failures}\n${app.log.join("\n")}`);

      process.stdout.write("measuring: ");
      const postmaster = await postmasterPid(database);
      const appGroup = app.child.pid;
      const cpu: Record<Side, Cpu> = { route: noCpu(), lib: noCpu() };
      const parts: Record<Side, Measurement[]> = { route: [], lib: [] };
      const sliceSize = Math.ceil(DELIVERIES / SLICES);
      const runSide: Record<Side, (slice: Delivery[]) => Promise<Measurement>> = {
        // Signed right before its slice, as each (re)delivery is, well within the signature's 5-minute tolerance.
        route: (slice) => measure(sign(slice), (d) => postEvent(webhookUrl, d.body, d.signature)),
        lib: (slice) => measure(slice, (d) => settleDirectly(database, d.session)),
      };
      for (let s = 0; s < SLICES; s++) {
        const order: Side[] = s % 2 === 0 ? ["route", "lib"] : ["lib", "route"];
        for (const side of order) {
          const before = cpuNow(appGroup, postmaster);
          const part = await runSide[side](deliveries[side].slice(s * sliceSize, (s + 1) * sliceSize));
          addCpu(cpu[side], before, cpuNow(appGroup, postmaster));
          parts[side].push(part);
          process.stdout.write(`${side} ${perSecond(part).toFixed(0)}/s… `);
        }
      }
      if (stopping) throw new Error("interrupted: nothing written");
      const route = combine(parts.route);
      const lib = combine(parts.lib);
      const ratio = perSecond(route) / perSecond(lib);
      console.log(`\nroute ${perSecond(route).toFixed(0)}/s, lib ${perSecond(lib).toFixed(0)}/s; ratio ${ratio.toFixed(2)}`);
      for (const side of ["route", "lib"] as const) console.log(`  ${side} CPU: ${cpuLine(cpu[side], side === "route" ? route : lib)}`);
      if (non200(route)) console.log(`route answered ${non200(route)} deliveries with something else than 200; app log:\n${app.log.slice(-40).join("\n")}`);

      await app.stop();
      const proof = await prove(database);
      const holds = proofHolds(proof);
      console.log(
        `proof: route ${JSON.stringify(proof.sides.route)}, lib ${JSON.stringify(proof.sides.lib)}, ${proof.onlineEntries} online entries, ` +
          `${proof.routeEvents} events (${proof.routeEventsCredited} credited), invariants ${proof.violations.length === 0 ? "sound" : JSON.stringify(proof.violations.slice(0, 5))}`,
      );

      const cpus = os.cpus();
      const nextVersion = (JSON.parse(readFileSync(path.join(ROOT, "node_modules", "next", "package.json"), "utf8")) as { version: string }).version;
      writeReportSection(
        "Webhook",
        markdown({ route, lib }, cpu, proof, [
          `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"}, ` +
            `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, Next.js ${nextVersion} (\`next start\`, production build), ` +
            `PostgreSQL ${version} (${process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : "embedded, same machine"}); ` +
            `app, benchmark clients and database share the machine.`,
        ]),
      );
      const expectedOutcomes = (m: Measurement) => m.deliveries === DELIVERIES && m.outcomes.credited === UNIQUE && m.outcomes.duplicate === DUPLICATES && m.outcomes.other === 0;
      if (ratio < TARGET_RATIO) console.log(`below target: route/lib must be at least ${TARGET_RATIO}`);
      if (!holds || non200(route) || lib.failures || !expectedOutcomes(route) || !expectedOutcomes(lib)) {
        console.log("FAILED: see the proof above");
        process.exitCode = 1;
      }
    } finally {
      process.off("SIGINT", interrupt);
      process.off("SIGTERM", interrupt);
      await app?.stop();
      await database.close();
    }
  });
}

runBenchmark(main);
