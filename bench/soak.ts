/**
 * Soak: the built app with 100,000 customers under a mixed load at a fixed
 * count. Commands through the REST API (activations, renewals, cash received,
 * Add Balance, customer edits and suspensions, each with its Idempotency-Key,
 * some retried with the same key) and online payments through the signed
 * Stripe webhook (some redelivered), against the same commands called through
 * lib directly in the same run (alternating slices) for the ratio; page loads
 * (admin dashboard, Accounts Receivable, the portal's customer list and
 * statement) by 16 concurrent signed-in users, at a user's pace (a pause
 * after each load), then alone with no pause, then together with the
 * commands; the app's memory (RSS from /proc) at start, after warm-up,
 * during and at the end. Every run ends with checkInvariants and an
 * exactly-once check of the ledger against every acknowledged command.
 *
 *   npm run bench:soak
 *
 * On demand, not in CI. Starts its own embedded PostgreSQL in a temporary
 * folder (or a scratch database on BENCH_DATABASE_URL's server), builds the
 * app if .next does not hold a build of the current sources (skip with
 * BENCH_SKIP_BUILD=1), serves it as `npm start` does (scripts/serve.ts) on a
 * free port. Tunable:
 * BENCH_SOAK_CUSTOMERS (100000), BENCH_SOAK_COMMANDS (commands per side and
 * phase, 800), BENCH_SOAK_PAGES (page loads per user and phase, 20),
 * BENCH_SOAK_WORKERS (the app's worker processes, LASTMILE_WORKERS; default
 * one per CPU), BENCH_SOAK_WARM_ROUNDS (mixed rounds in the warm-up, 2),
 * BENCH_SOAK_ROUNDS (mixed rounds after the measured phases, for memory
 * growth round after round, 3), BENCH_SOAK_THINK_MS (the paced users' mean
 * pause after a page, 1000).
 * Writes docs/BENCHMARKS.md "## Soak" (not with BENCH_NO_REPORT=1). With
 * BENCH_PROFILE_DIR=<dir>, the app writes a V8 CPU profile of its run there;
 * BENCH_NODE_ARGS adds node flags for the app (e.g. "--trace-gc", with
 * BENCH_APP_LOG=<file> to keep the app's whole output).
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Stripe from "stripe";
import { buildIfNeeded } from "../scripts/build";
import { addCpu, appRss, cpuNow, noCpu, percentile, postmasterPid, type Cpu } from "./cpu";
import { runBenchmark, startBuiltApp, withBenchDatabase, writeReportSection, type BuiltApp } from "./harness";
import { insertCustomers, insertPendingPayments } from "./seed";
import { connect, type Database } from "@/db/client";
import { type OnlinePayment } from "@/db/schema";
import { issueApiToken } from "@/lib/api/tokens";
import { installWorkers } from "@/lib/config";
import { hashPassword } from "@/lib/auth/password";
import { activateSubscription, addBalance, recordCashReceived, renewSubscription, systemActor, type Actor } from "@/lib/billing";
import { checkInvariants } from "@/lib/billing/invariants";
import { isDomainError } from "@/lib/errors";
import { createPackage, packageForm } from "@/lib/packages";
import { sessionFromStripe } from "@/lib/payments/gateway";
import { eventBody, sandboxSessionObject } from "@/lib/payments/sandbox";
import { settleSession } from "@/lib/payments/settle";
import { allPermissions } from "@/lib/permissions";
import { setCustomerStatus, updateCustomer } from "@/lib/portal/customer-commands";
import { provisionAll } from "@/lib/radius/provision";
import { z } from "zod";

const ROOT = path.resolve(import.meta.dirname, "..");
const envCount = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return Number(value);
};
const CUSTOMERS = envCount("BENCH_SOAK_CUSTOMERS", 100_000);
/** Commands per side in the ratio phase, and over HTTP again in the mixed phase. */
const COMMANDS = envCount("BENCH_SOAK_COMMANDS", 800);
/** Page loads per user in the pages phase, and again in the mixed phase. */
const PAGES_PER_USER = envCount("BENCH_SOAK_PAGES", 20);
/** The app's worker processes (scripts/serve.ts, LASTMILE_WORKERS). */
const WORKERS = process.env.BENCH_SOAK_WORKERS ? envCount("BENCH_SOAK_WORKERS", 1) : installWorkers(undefined);
/** Mixed rounds (commands and pages at once): the first after warm-up, the last ones to see whether memory still grows. */
const ROUNDS = envCount("BENCH_SOAK_ROUNDS", 3);
/** Mixed rounds in the warm-up: a V8 heap grows to its working size over a couple of rounds of the full load, then saws up and down around it. */
const WARM_ROUNDS = envCount("BENCH_SOAK_WARM_ROUNDS", 2);
const WARM_UP_COMMANDS = 200;
/** The warm-up's page-only phase is as big as the measured one: memory is judged past a warm-up that has done every phase's work at full size. */
const WARM_UP_PAGES_PER_USER = PAGES_PER_USER;
/** Resellers: the first holds half the customers; even ones prepaid, odd ones postpaid. */
const RESELLERS = 10;
const COMMAND_CLIENTS = 8;
const PAGE_USERS = 16;
/**
 * Mean pause between one user's page loads in the paced phase, ms (exponentially distributed, so users
 * bunch up as real ones do). A person reads a page before the next click; TPC-W, the standard web
 * benchmark, pauses 7 s on average, so 1 s is a hurried user. The phases without it keep 16 requests in
 * flight all the time: that is the stress figure, not 16 people.
 */
const THINK_MS = envCount("BENCH_SOAK_THINK_MS", 1_000);
/** The app's pool (db/client.ts getDb); the lib side gets the same. */
const POOL = 10;
const SLICES = 4;
/** Share of HTTP commands sent a second time with the same Idempotency-Key (webhook: the same event). */
const RETRY_SHARE = 0.05;
const TARGET_RATIO = 0.5;
const TARGET_PAGE_P95_MS = 300;
/** Growth of the app's RSS from after warm-up to the end that still counts as none (GC and allocator noise). */
const MEMORY_TOLERANCE = 0.1;

const MIX = { activate: 6, renew: 3, cashReceived: 1.5, addBalance: 1.5, edit: 3, suspend: 1.5, onlinePayment: 3 } as const;
type Kind = keyof typeof MIX;
const KINDS = Object.keys(MIX) as Kind[];

type Side = "http" | "lib";
type Op =
  | { kind: "activate"; key: string; resellerIndex: number; customerId: string }
  | { kind: "renew"; key: string; resellerIndex: number; subscriptionId: string }
  | { kind: "cashReceived" | "addBalance"; key: string; resellerIndex: number; amount: string }
  | { kind: "edit"; key: string; resellerIndex: number; customerId: string; phone: string }
  | { kind: "suspend"; key: string; resellerIndex: number; customerId: string }
  | { kind: "onlinePayment"; key: string; payment: OnlinePayment; event: string };
/** What one command came back with: an entry id for a posting, "ok" for the rest, or a refusal. */
type Answer = { ok: boolean; entryId: number | null; code: string; replayed: boolean };
type Sample = { kind: Kind; ms: number; answer: Answer; retry: boolean };
type Measurement = { samples: Sample[]; elapsedMs: number; failures: number };
type Page = { name: string; path: string; title: string; role: "admin" | "reseller" };
type PageSample = { page: string; ms: number; ok: boolean; status: number; bytes: number };

const PAGES: Page[] = [
  { name: "Admin dashboard", path: "/admin", title: "Dashboard", role: "admin" },
  { name: "Accounts Receivable", path: "/admin/accounts/receivable", title: "Accounts Receivable", role: "admin" },
  { name: "Customer list (portal)", path: "/portal/customers", title: "Customers", role: "reseller" },
  { name: "Statement (portal)", path: "/portal/statement", title: "Statement", role: "reseller" },
];

// ---------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------

type Reseller = { id: string; type: "prepaid" | "postpaid"; actor: Actor; token: string };
type Seeded = {
  packageId: string;
  resellers: Reseller[];
  adminToken: string;
  admin: Actor;
  users: { email: string; role: "admin" | "reseller" }[];
  password: string;
  /** Never-active or expired customers (activation), ones with service running (edits, suspensions), subscriptions to renew. */
  pools: { activate: { resellerIndex: number; customerId: string }[]; running: { resellerIndex: number; customerId: string }[]; renew: { resellerIndex: number; subscriptionId: string }[]; payments: OnlinePayment[] };
};

async function seed(database: Database, renewalsNeeded: number, paymentsNeeded: number): Promise<Seeded> {
  const { db, sql: raw } = database;
  const started = performance.now();
  const step = (label: string) => process.stdout.write(`${label} (${((performance.now() - started) / 1000).toFixed(0)} s)… `);
  const system = systemActor("bench");
  const admin: Actor = { userId: null, label: "bench admin", role: "admin" };
  const areaIds = (await raw`insert into areas (name) select 'Soak area ' || g from generate_series(1, 8) g returning id`).map((r) => r.id as string);
  const pkg = await createPackage(db, { userId: null, label: "bench", role: "admin" }, packageForm.extend({ idempotencyKey: z.string() }).parse({ name: "Soak 20M", customerPrice: "20.00", validityDays: "30", downloadMbps: "20", uploadMbps: "10", active: "true", idempotencyKey: randomUUID() }));
  const rows = await raw`
    insert into resellers (name, type, collection_limit, currency, permissions)
    select 'Soak reseller ' || g, (case when g % 2 = 0 then 'prepaid' else 'postpaid' end)::reseller_type,
      case when g % 2 = 0 then 0 else 1000000000 end, 'USD', ${allPermissions}::text[]
    from generate_series(0, ${RESELLERS - 1}::int) g order by g returning id, type`;
  const resellerIds = rows.map((r) => r.id as string);
  await raw`insert into reseller_package_rates (reseller_id, package_id, rate) select unnest(${resellerIds}::uuid[]), ${pkg.id}, 1500`;
  await raw`insert into reseller_areas (reseller_id, area_id) select r, a from unnest(${resellerIds}::uuid[]) r, unnest(${areaIds}::uuid[]) a`;
  for (let i = 0; i < RESELLERS; i += 2) await addBalance(db, system, { resellerId: resellerIds[i]!, amount: 1_000_000_000n, method: "cash", idempotencyKey: randomUUID() });

  const password = `soak-${randomUUID()}`;
  const hash = await hashPassword(password);
  const users: Seeded["users"] = [];
  const resellerUsers = await raw`
    insert into users (email, name, password_hash, role, reseller_id)
    select 'soak-reseller-' || g || '@example.test', 'Soak reseller user ' || g, ${hash}, 'reseller', (${resellerIds}::uuid[])[1 + g]
    from generate_series(0, ${RESELLERS - 1}::int) g order by g returning id, email, reseller_id`;
  await raw`
    insert into users (email, name, password_hash, role)
    select 'soak-admin-' || g || '@example.test', 'Soak admin ' || g, ${hash}, 'admin' from generate_series(1, ${PAGE_USERS / 2}::int) g`;
  for (let g = 1; g <= PAGE_USERS / 2; g++) users.push({ email: `soak-admin-${g}@example.test`, role: "admin" });
  // Half the reseller users of the page load on the big reseller, the rest on others.
  for (let g = 0; g < PAGE_USERS / 2; g++) users.push({ email: `soak-reseller-${g % 2 === 0 ? 0 : g}@example.test`, role: "reseller" });

  const resellersList: Reseller[] = [];
  for (const [i, user] of resellerUsers.entries()) {
    const { token } = await issueApiToken(db, system, { userId: user.id as string, name: `soak ${i}` });
    resellersList.push({ id: resellerIds[i]!, type: rows[i]!.type as Reseller["type"], token, actor: { userId: user.id as string, label: user.email as string, role: "reseller", resellerId: resellerIds[i]!, ipAddress: null } });
  }
  const [adminUser] = await raw`select id from users where email = 'soak-admin-1@example.test'`;
  const { token: adminToken } = await issueApiToken(db, system, { userId: adminUser!.id as string, name: "soak admin" });

  step(`${CUSTOMERS.toLocaleString("en-US")} customers`);
  // Customer g goes to resellerIds[g % n]: the first reseller listed RESELLERS − 1 times more holds half of them.
  const weighted = [...Array.from({ length: RESELLERS - 1 }, () => resellerIds[0]!), ...resellerIds.slice(1)];
  await insertCustomers(raw, { resellerIds: weighted, areaIds, count: CUSTOMERS, idSeed: "soak", usernamePrefix: "s" });
  step("RADIUS rows");
  await provisionAll(db);
  step("vacuum analyze");
  await raw`vacuum analyze customers`;
  const indexOf = new Map(resellerIds.map((id, i) => [id, i]));
  const pick = async (where: "activatable" | "running") => {
    const found =
      where === "activatable"
        ? await raw`select id, reseller_id from customers where status = 'active' and (expires_at is null or expires_at < now()) order by md5(id::text)`
        : await raw`select id, reseller_id from customers where status = 'active' and expires_at > now() + interval '1 day' order by md5(id::text)`;
    return found.map((r) => ({ resellerIndex: indexOf.get(r.reseller_id as string)!, customerId: r.id as string }));
  };
  const activatable = await pick("activatable");
  const running = await pick("running");

  // Subscriptions to renew: activated through lib, as the portal does (ledger, journal, RADIUS rows).
  step(`${renewalsNeeded} activations to renew later`);
  const toRenew = activatable.splice(0, renewalsNeeded);
  const renew: Seeded["pools"]["renew"] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < toRenew.length) {
        const job = toRenew[next++]!;
        const r = resellersList[job.resellerIndex]!;
        const result = await activateSubscription(db, r.actor, { resellerId: r.id, customerId: job.customerId, packageId: pkg.id, idempotencyKey: randomUUID() });
        renew.push({ resellerIndex: job.resellerIndex, subscriptionId: result.subscription.id });
      }
    }),
  );
  const payments = await insertPendingPayments(db, { resellerIds, count: paymentsNeeded, tag: "soak" });
  await raw`analyze`;
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { packageId: pkg.id, resellers: resellersList, adminToken, admin, users, password, pools: { activate: activatable, running, renew, payments } };
}

// ---------------------------------------------------------------------------
// Commands
// ---------------------------------------------------------------------------

/** `total` commands in MIX proportions, each on its own target taken from the pools, shuffled. */
function makeOps(seeded: Seeded, total: number): Op[] {
  const weight = Object.values(MIX).reduce((a, b) => a + b, 0);
  const ops: Op[] = [];
  const take = <T>(pool: T[], what: string): T => {
    const item = pool.shift();
    if (item === undefined) throw new Error(`the seed ran out of ${what}: lower BENCH_SOAK_COMMANDS or raise BENCH_SOAK_CUSTOMERS`);
    return item;
  };
  KINDS.forEach((kind, k) => {
    const n = k === KINDS.length - 1 ? total - ops.length : Math.round((total * MIX[kind]) / weight);
    for (let i = 0; i < n; i++) {
      const key = randomUUID();
      const r = i % RESELLERS;
      switch (kind) {
        case "activate":
          ops.push({ kind, key, ...take(seeded.pools.activate, "customers to activate") });
          break;
        case "renew":
          ops.push({ kind, key, ...take(seeded.pools.renew, "subscriptions to renew") });
          break;
        case "cashReceived":
          // Postpaid resellers: the admin records what it collected.
          ops.push({ kind, key, resellerIndex: r % 2 === 1 ? r : (r + 1) % RESELLERS, amount: "12.34" });
          break;
        case "addBalance":
          ops.push({ kind, key, resellerIndex: r % 2 === 0 ? r : (r + 1) % RESELLERS, amount: "25.00" });
          break;
        case "edit": {
          const target = take(seeded.pools.running, "customers to edit");
          ops.push({ kind, key, ...target, phone: `+880 19${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}` });
          break;
        }
        case "suspend":
          ops.push({ kind, key, ...take(seeded.pools.running, "customers to suspend") });
          break;
        case "onlinePayment": {
          const payment = take(seeded.pools.payments, "pending online payments");
          ops.push({ kind, key, payment, event: eventBody("checkout.session.completed", sandboxSessionObject(payment, "paid")) });
          break;
        }
      }
    }
  });
  for (let i = ops.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [ops[i], ops[j]] = [ops[j]!, ops[i]!];
  }
  return ops;
}

const commandAgent = new http.Agent({ keepAlive: true, maxSockets: COMMAND_CLIENTS });
const pageAgent = new http.Agent({ keepAlive: true, maxSockets: PAGE_USERS });
type Reply = { status: number; headers: http.IncomingHttpHeaders; body: Buffer };

function send(agent: http.Agent, url: string, method: string, headers: Record<string, string | number>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, agent, headers: body === undefined ? headers : { ...headers, "content-length": Buffer.byteLength(body) } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}

const text = (reply: Reply) => (reply.headers["content-encoding"] === "gzip" ? gunzipSync(reply.body) : reply.body).toString("utf8");

async function overHttp(app: BuiltApp, seeded: Seeded, webhookSecret: string, op: Op): Promise<Answer> {
  if (op.kind === "onlinePayment") {
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: op.event, secret: webhookSecret });
    const reply = await send(commandAgent, `${app.url}/api/payments/stripe/webhook`, "POST", { "content-type": "application/json", "stripe-signature": signature }, op.event);
    const answer = JSON.parse(text(reply) || "{}") as { duplicate?: boolean; outcome?: string };
    const credited = reply.status === 200 && (answer.outcome?.startsWith("credited") ?? false);
    return { ok: reply.status === 200 && (credited || answer.duplicate === true), entryId: null, code: answer.duplicate ? "duplicate" : (answer.outcome ?? String(reply.status)), replayed: answer.duplicate === true };
  }
  const reseller = "resellerIndex" in op ? seeded.resellers[op.resellerIndex]! : undefined;
  const route = (): [string, string, unknown, string] => {
    switch (op.kind) {
      case "activate":
        return ["POST", `/customers/${op.customerId}/activations`, { packageId: seeded.packageId }, reseller!.token];
      case "renew":
        return ["POST", `/subscriptions/${op.subscriptionId}/renewals`, {}, reseller!.token];
      case "cashReceived":
        return ["POST", `/resellers/${reseller!.id}/cash-received`, { amount: op.amount, method: "cash", source: "accounts_receivable" }, seeded.adminToken];
      case "addBalance":
        return ["POST", `/resellers/${reseller!.id}/balance`, { amount: op.amount, method: "cash" }, seeded.adminToken];
      case "edit":
        return ["PATCH", `/customers/${op.customerId}`, { phone: op.phone }, reseller!.token];
      case "suspend":
        return ["POST", `/customers/${op.customerId}/suspend`, { reason: "Soak" }, reseller!.token];
    }
  };
  const [method, pathname, body, token] = route();
  const reply = await send(commandAgent, `${app.url}/api/v1${pathname}`, method, { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": op.key }, JSON.stringify(body));
  const json = JSON.parse(text(reply) || "{}") as { entryId?: number; code?: string };
  const ok = reply.status >= 200 && reply.status < 300;
  return { ok, entryId: typeof json.entryId === "number" ? json.entryId : null, code: ok ? String(reply.status) : (json.code ?? String(reply.status)), replayed: reply.headers["idempotent-replayed"] === "true" };
}

async function throughLib(database: Database, seeded: Seeded, op: Op): Promise<Answer> {
  const db = database.db;
  try {
    if (op.kind === "onlinePayment") {
      const session = sessionFromStripe(sandboxSessionObject(op.payment, "paid") as unknown as Stripe.Checkout.Session);
      const result = await db.transaction((tx) => settleSession(tx, session, "paid", "bench (lib)"));
      const credited = result.outcome.startsWith("credited");
      const duplicate = result.outcome.startsWith("no change: already credited");
      return { ok: credited || duplicate, entryId: null, code: result.outcome, replayed: duplicate };
    }
    const reseller = seeded.resellers[op.resellerIndex]!;
    const posted = (r: { entry: { id: number }; replayed: boolean }): Answer => ({ ok: true, entryId: r.entry.id, code: "ok", replayed: r.replayed });
    switch (op.kind) {
      case "activate":
        return posted(await activateSubscription(db, reseller.actor, { resellerId: reseller.id, customerId: op.customerId, packageId: seeded.packageId, idempotencyKey: op.key }));
      case "renew":
        return posted(await renewSubscription(db, reseller.actor, { resellerId: reseller.id, subscriptionId: op.subscriptionId, idempotencyKey: op.key }));
      case "cashReceived":
        return posted(await recordCashReceived(db, seeded.admin, { resellerId: reseller.id, amount: BigInt(Math.round(Number(op.amount) * 100)), method: "cash", source: "accounts_receivable", idempotencyKey: op.key }));
      case "addBalance":
        return posted(await addBalance(db, seeded.admin, { resellerId: reseller.id, amount: BigInt(Math.round(Number(op.amount) * 100)), method: "cash", idempotencyKey: op.key }));
      case "edit": {
        const [c] = await database.sql`select username, name, address, area_id from customers where id = ${op.customerId}`;
        await updateCustomer(db, reseller.actor, { customerId: op.customerId, resellerId: reseller.id, username: c!.username as string, name: c!.name as string, phone: op.phone, address: (c!.address as string | null) ?? null, areaId: c!.area_id as string });
        return { ok: true, entryId: null, code: "ok", replayed: false };
      }
      case "suspend":
        await setCustomerStatus(db, reseller.actor, { customerId: op.customerId, resellerId: reseller.id, status: "suspended", reason: "Soak" });
        return { ok: true, entryId: null, code: "ok", replayed: false };
    }
  } catch (error) {
    if (isDomainError(error)) return { ok: false, entryId: null, code: error.code, replayed: false };
    throw error;
  }
}

/** Runs `ops` from COMMAND_CLIENTS concurrent clients; a share of them is sent again (same key / same event) right after its answer. */
async function runCommands(ops: Op[], run: (op: Op) => Promise<Answer>, retries = true): Promise<Measurement> {
  const samples: Sample[] = [];
  let next = 0;
  let failures = 0;
  let firstError: unknown;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: COMMAND_CLIENTS }, async () => {
      while (next < ops.length) {
        const op = ops[next++]!;
        const again = retries && Math.random() < RETRY_SHARE;
        for (const retry of again ? [false, true] : [false]) {
          const t0 = performance.now();
          try {
            const answer = await run(op);
            samples.push({ kind: op.kind, ms: performance.now() - t0, answer, retry });
          } catch (error) {
            failures++;
            firstError ??= error;
          }
        }
      }
    }),
  );
  if (firstError) console.error("first failure:", firstError);
  return { samples, elapsedMs: performance.now() - started, failures };
}

// ---------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------

type SignedIn = { email: string; role: "admin" | "reseller"; cookie: string };

const cookiesOf = (reply: Reply) => (reply.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]!);

/** next-auth's credentials sign-in: CSRF token and cookie, then the form; the session cookie is kept for every later page. */
async function signIn(app: BuiltApp, email: string, password: string): Promise<string> {
  const csrf = await send(pageAgent, `${app.url}/api/auth/csrf`, "GET", {});
  const { csrfToken } = JSON.parse(text(csrf)) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email, password, callbackUrl: `${app.url}/`, json: "true" }).toString();
  const reply = await send(pageAgent, `${app.url}/api/auth/callback/credentials`, "POST", { "content-type": "application/x-www-form-urlencoded", cookie: cookiesOf(csrf).join("; ") }, form);
  const session = cookiesOf(reply).find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`sign-in of ${email} failed: ${reply.status} ${text(reply).slice(0, 300)}`);
  return session;
}

async function loadPage(app: BuiltApp, user: SignedIn, page: Page): Promise<PageSample> {
  const t0 = performance.now();
  const reply = await send(pageAgent, `${app.url}${page.path}`, "GET", { cookie: user.cookie, "accept-encoding": "gzip", accept: "text/html" });
  const ms = performance.now() - t0;
  const ok = reply.status === 200 && text(reply).includes(`${page.title} · Lastmile`);
  return { page: page.name, ms, ok, status: reply.status, bytes: reply.body.length };
}

/** Each user loads its role's pages in turn, `perUser` loads, all users at once; with `thinkMs`, each pauses that long on average after each load. */
async function runPages(app: BuiltApp, users: SignedIn[], perUser: number, thinkMs = 0): Promise<{ samples: PageSample[]; elapsedMs: number }> {
  const samples: PageSample[] = [];
  const started = performance.now();
  await Promise.all(
    users.map(async (user, u) => {
      const mine = PAGES.filter((p) => p.role === user.role);
      // Paced users start at random moments within one pause, not in step.
      if (thinkMs) await pause(Math.random() * thinkMs);
      for (let i = 0; i < perUser; i++) {
        samples.push(await loadPage(app, user, mine[(i + u) % mine.length]!));
        if (thinkMs) await pause(-thinkMs * Math.log(1 - Math.random()));
      }
    }),
  );
  return { samples, elapsedMs: performance.now() - started };
}

const pause = (duration: number) => new Promise((resolve) => setTimeout(resolve, duration));

// ---------------------------------------------------------------------------
// Memory (Linux /proc)
// ---------------------------------------------------------------------------

/** "app 12.3, PostgreSQL 4.5, clients 1.2 CPU ms per <unit>; machine 95 % busy". */
function cpuLine(use: Cpu, n: number, unit: string): string {
  const per = (v: number) => (v / Math.max(1, n)).toFixed(1);
  return `app ${per(use.app)}, PostgreSQL ${per(use.postgres)}, benchmark process ${per(use.bench)} CPU ms per ${unit}; machine ${((use.busy / Math.max(1, use.total)) * 100).toFixed(0)} % busy`;
}

// ---------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "—");
const combine = (parts: Measurement[]): Measurement => ({ samples: parts.flatMap((p) => p.samples), elapsedMs: parts.reduce((s, p) => s + p.elapsedMs, 0), failures: parts.reduce((s, p) => s + p.failures, 0) });
const perSecond = (m: { samples: unknown[]; elapsedMs: number }) => (m.samples.length / m.elapsedMs) * 1000;

function commandRows(m: Measurement): string[] {
  return KINDS.map((kind) => {
    const own = m.samples.filter((s) => s.kind === kind);
    const lat = own.map((s) => s.ms);
    const refused = own.filter((s) => !s.answer.ok);
    const codes = [...new Set(refused.map((s) => s.answer.code))].join(", ");
    return `| ${kind} | ${own.length} | ${((own.length / m.elapsedMs) * 1000).toFixed(1)} | ${ms(percentile(lat, 50))} | ${ms(percentile(lat, 95))} | ${ms(percentile(lat, 99))} | ${refused.length ? `${refused.length} (${codes})` : "0"} |`;
  });
}

function pageRows(samples: PageSample[], elapsedMs: number): string[] {
  return PAGES.map((page) => {
    const own = samples.filter((s) => s.page === page.name);
    const lat = own.map((s) => s.ms);
    const bad = own.filter((s) => !s.ok);
    const kB = own.length ? own.reduce((sum, s) => sum + s.bytes, 0) / own.length / 1024 : NaN;
    return `| ${page.name} | ${own.length} | ${Number.isFinite(kB) ? kB.toFixed(1) : "—"} | ${((own.length / elapsedMs) * 1000).toFixed(1)} | ${ms(percentile(lat, 50))} | ${ms(percentile(lat, 95))} | ${ms(percentile(lat, 99))} | ${bad.length ? `${bad.length} (${[...new Set(bad.map((b) => b.status))].join(", ")})` : "0"} |`;
  });
}

// ---------------------------------------------------------------------------
// Proof: every acknowledged command in the ledger exactly once
// ---------------------------------------------------------------------------

type Proof = { lines: string[]; holds: boolean };

async function prove(database: Database, watermark: number, all: { side: Side; samples: Sample[]; ops: Op[] }[]): Promise<Proof> {
  const { sql: raw } = database;
  const lines: string[] = [];
  let holds = true;
  const fail = (line: string) => {
    holds = false;
    lines.push(`FAILED: ${line}`);
  };
  // Postings answered with an entry id: a retry names the same entry as the first answer, no two commands share one.
  const acked = new Map<number, number>();
  let ackedPostings = 0;
  let replays = 0;
  for (const { samples } of all) {
    for (const s of samples) {
      if (!s.answer.ok || s.answer.entryId === null) continue;
      if (s.retry || s.answer.replayed) {
        replays++;
        if (!acked.has(s.answer.entryId)) fail(`a replay named entry ${s.answer.entryId}, which no first answer named`);
        continue;
      }
      if (acked.has(s.answer.entryId)) fail(`entry ${s.answer.entryId} acknowledged to two different commands`);
      acked.set(s.answer.entryId, 1);
      ackedPostings++;
    }
  }
  const entries = await raw`select id::int as id, kind, idempotency_key from ledger_entries where id > ${watermark} and kind <> 'online_payment'`;
  const ledgerIds = new Set(entries.map((e) => e.id as number));
  const missing = [...acked.keys()].filter((id) => !ledgerIds.has(id));
  const unacked = [...ledgerIds].filter((id) => !acked.has(id));
  if (missing.length) fail(`${missing.length} acknowledged entries are not in the ledger`);
  if (unacked.length) fail(`${unacked.length} ledger entries no command was acknowledged for`);
  const [keys] = await raw`select count(*)::int as n, count(distinct idempotency_key)::int as distinct_keys from ledger_entries where id > ${watermark}`;
  if (keys!.n !== keys!.distinct_keys) fail(`${keys!.n - keys!.distinct_keys} idempotency keys posted twice`);
  lines.push(`${ackedPostings} postings acknowledged with their entry id (${replays} retries answered with the first answer's entry), ${ledgerIds.size} new ledger entries besides online payments: ${missing.length} missing, ${unacked.length} unacknowledged.`);

  // Online payments: every session whose event was answered as credited (or duplicate) has exactly one credit; the others none.
  const sessions = all.flatMap((a) => a.ops.filter((o): o is Extract<Op, { kind: "onlinePayment" }> => o.kind === "onlinePayment").map((o) => o.payment.id));
  const credits = await raw`
    select p.id, p.status, (select count(*)::int from ledger_entries l where l.kind = 'online_payment' and l.id = p.ledger_entry_id) as linked,
      (select count(*)::int from ledger_entries l where l.kind = 'online_payment' and l.payment_reference = p.checkout_session_id) as by_session
    from online_payments p where p.id = any(${sessions}::uuid[])`;
  const paid = credits.filter((c) => c.status === "paid");
  const doubles = credits.filter((c) => (c.by_session as number) > 1);
  const orphan = credits.filter((c) => c.status !== "paid" && (c.by_session as number) > 0);
  const ackedPayments = all.flatMap((a) => a.samples).filter((s) => s.kind === "onlinePayment" && s.answer.ok && !s.retry).length;
  if (doubles.length) fail(`${doubles.length} online payments credited more than once`);
  if (orphan.length) fail(`${orphan.length} unpaid online payments with a credit`);
  if (paid.length !== ackedPayments) fail(`${paid.length} online payments paid, ${ackedPayments} events acknowledged`);
  if (paid.some((c) => c.linked !== 1 || c.by_session !== 1)) fail("a paid online payment without exactly one linked credit");
  const [onlineEntries] = await raw`select count(*)::int as n from ledger_entries where id > ${watermark} and kind = 'online_payment'`;
  if (onlineEntries!.n !== paid.length) fail(`${onlineEntries!.n} online-payment entries for ${paid.length} paid payments`);
  lines.push(`${sessions.length} online payments sent (${ackedPayments} acknowledged), ${paid.length} paid, each with exactly one credit; ${onlineEntries!.n} online-payment entries; ${doubles.length} credited twice.`);

  // Suspensions and edits acknowledged are in the customers table.
  const suspendTargets = all.flatMap((a) => a.ops.filter((o): o is Extract<Op, { kind: "suspend" }> => o.kind === "suspend").map((o) => o.customerId));
  const [sus] = await raw`select count(*)::int as n from customers where id = any(${suspendTargets}::uuid[]) and status = 'suspended'`;
  const acknowledgedSuspensions = all.reduce((n, a) => n + a.samples.filter((s) => s.kind === "suspend" && s.answer.ok && !s.retry).length, 0);
  if (sus!.n !== acknowledgedSuspensions) fail(`${sus!.n} customers suspended, ${acknowledgedSuspensions} suspensions acknowledged`);
  const edits = all.flatMap((a) => a.ops.filter((o): o is Extract<Op, { kind: "edit" }> => o.kind === "edit"));
  const [edited] = await raw`select count(*)::int as n from customers c join unnest(${edits.map((e) => e.customerId)}::uuid[], ${edits.map((e) => e.phone)}::text[]) as e(id, phone) on e.id = c.id and e.phone = c.phone`;
  const acknowledgedEdits = all.reduce((n, a) => n + a.samples.filter((s) => s.kind === "edit" && s.answer.ok && !s.retry).length, 0);
  if (edited!.n !== acknowledgedEdits) fail(`${edited!.n} customers carry their new phone, ${acknowledgedEdits} edits acknowledged`);
  lines.push(`${acknowledgedSuspensions} suspensions and ${acknowledgedEdits} edits acknowledged, ${sus!.n} customers suspended and ${edited!.n} carrying their new phone.`);

  const violations = await checkInvariants(database.db);
  if (violations.length) fail(`invariants: ${violations.slice(0, 5).map((v) => `${v.rule} (${v.detail})`).join("; ")}`);
  else lines.push("`checkInvariants`: sound.");
  return { lines, holds };
}

// ---------------------------------------------------------------------------
// Run
// ---------------------------------------------------------------------------

runBenchmark(async () => {
  if (process.env.BENCH_SKIP_BUILD !== "1") buildIfNeeded(ROOT);
  await withBenchDatabase("lastmile_bench_soak", async (url, adminSql) => {
    const [{ version }] = (await adminSql`select current_setting('server_version') as version`) as unknown as [{ version: string }];
    const database = connect(url, { max: POOL });
    const webhookSecret = `whsec_soak_${randomUUID().replaceAll("-", "")}`;
    let app: BuiltApp | undefined;
    try {
      const weight = Object.values(MIX).reduce((a, b) => a + b, 0);
      const per = (kind: Kind, total: number) => Math.ceil((total * MIX[kind]) / weight) + 1;
      // HTTP: warm-up (alone, then a mixed round) + ratio + the mixed rounds; lib: warm-up + ratio.
      const sets = [WARM_UP_COMMANDS, WARM_UP_COMMANDS, COMMANDS, COMMANDS, ...Array.from({ length: WARM_ROUNDS + ROUNDS }, () => COMMANDS)];
      const needed = (kind: Kind) => sets.reduce((sum, n) => sum + per(kind, n), 10);
      const seeded = await seed(database, needed("renew"), needed("onlinePayment"));
      const ops = {
        warmHttp: makeOps(seeded, WARM_UP_COMMANDS),
        warmLib: makeOps(seeded, WARM_UP_COMMANDS),
        warmMixed: Array.from({ length: WARM_ROUNDS }, () => makeOps(seeded, COMMANDS)),
        http: makeOps(seeded, COMMANDS),
        lib: makeOps(seeded, COMMANDS),
        mixed: Array.from({ length: ROUNDS }, () => makeOps(seeded, COMMANDS)),
      };
      const [mark] = await database.sql`select coalesce(max(id), 0)::int as id from ledger_entries`;
      const watermark = mark!.id as number;

      process.stdout.write("starting the app… ");
      app = await startBuiltApp({
        databaseUrl: url,
        // The load measures the work of a request, not the API limiter's refusals.
        env: { LASTMILE_API_RATE_LIMIT: "1000000", LASTMILE_PAYMENTS_SANDBOX: "1", STRIPE_WEBHOOK_SECRET: webhookSecret },
        readyPath: "/login",
        workers: WORKERS,
        // BENCH_PROFILE_DIR: the app writes a V8 CPU profile there when it stops.
        nodeArgs: [
          ...(process.env.BENCH_PROFILE_DIR ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`] : []),
          ...(process.env.BENCH_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
        ],
      });
      const live = app;
      const group = app.child.pid!;
      const memory: { at: string; total: number; each: number[] }[] = [];
      const rss = (at: string) => memory.push({ at, ...appRss(group) });
      rss("start (ready)");

      process.stdout.write("signing in… ");
      const users: SignedIn[] = [];
      for (const user of seeded.users) users.push({ ...user, cookie: await signIn(live, user.email, seeded.password) });

      process.stdout.write("warming up… ");
      const warm = [await runCommands(ops.warmHttp, (op) => overHttp(live, seeded, webhookSecret, op)), await runCommands(ops.warmLib, (op) => throughLib(database, seeded, op))];
      const warmPages = await runPages(live, users, WARM_UP_PAGES_PER_USER);
      // Then the work of the measured mixed rounds, at full concurrency: every page kind and every command at once.
      // RSS every 2 s from here to the end, labelled with the phase it was read in (its mean per round evens out the GC's saw).
      const rssSamples: { phase: string; total: number }[] = [];
      let phase = "";
      const sampler = setInterval(() => rssSamples.push({ phase, total: appRss(group).total }), 2_000);
      const warmMixedPages: PageSample[] = [];
      for (const [r, round] of ops.warmMixed.entries()) {
        phase = `warm-up round ${r + 1}`;
        const [commands, roundPages] = await Promise.all([runCommands(round, (op) => overHttp(live, seeded, webhookSecret, op)), runPages(live, users, PAGES_PER_USER)]);
        warm.push(commands);
        warmMixedPages.push(...roundPages.samples);
      }
      const warmMixed = combine(warm.slice(2));
      if (warm.some((m) => m.failures) || [...warmPages.samples, ...warmMixedPages].some((s) => !s.ok)) throw new Error(`warm-up failed:\n${live.log.slice(-30).join("\n")}`);
      rss("after warm-up");

      process.stdout.write("commands, HTTP vs lib: ");
      const postmaster = await postmasterPid(database);
      const cpu = { http: noCpu(), lib: noCpu(), paced: noCpu(), pages: noCpu(), mixed: noCpu() };
      const parts: Record<Side, Measurement[]> = { http: [], lib: [] };
      const sliced = (list: Op[], i: number) => list.slice(Math.floor((i * list.length) / SLICES), Math.floor(((i + 1) * list.length) / SLICES));
      for (let i = 0; i < SLICES; i++) {
        for (const side of i % 2 === 0 ? (["http", "lib"] as const) : (["lib", "http"] as const)) {
          const before = cpuNow(group, postmaster);
          const part = side === "http" ? await runCommands(sliced(ops.http, i), (op) => overHttp(live, seeded, webhookSecret, op)) : await runCommands(sliced(ops.lib, i), (op) => throughLib(database, seeded, op));
          addCpu(cpu[side], before, cpuNow(group, postmaster));
          parts[side].push(part);
          process.stdout.write(`${side} ${perSecond(part).toFixed(0)}/s… `);
        }
      }
      const httpRun = combine(parts.http);
      const libRun = combine(parts.lib);
      phase = "";
      rss("after the command phase");

      process.stdout.write("pages at a user's pace… ");
      let before = cpuNow(group, postmaster);
      const paced = await runPages(live, users, PAGES_PER_USER, THINK_MS);
      addCpu(cpu.paced, before, cpuNow(group, postmaster));

      process.stdout.write("pages all at once… ");
      before = cpuNow(group, postmaster);
      const pages = await runPages(live, users, PAGES_PER_USER);
      addCpu(cpu.pages, before, cpuNow(group, postmaster));
      rss("after the page phases");

      process.stdout.write("mixed… ");
      before = cpuNow(group, postmaster);
      const rounds: { commands: Measurement; pages: { samples: PageSample[]; elapsedMs: number } }[] = [];
      for (const [r, round] of ops.mixed.entries()) {
        phase = `round ${r + 1}`;
        const [commands, roundPages] = await Promise.all([runCommands(round, (op) => overHttp(live, seeded, webhookSecret, op)), runPages(live, users, PAGES_PER_USER)]);
        rounds.push({ commands, pages: roundPages });
        if (r < ROUNDS - 1) rss(`after mixed round ${r + 1}`);
        process.stdout.write(`round ${r + 1}… `);
      }
      clearInterval(sampler);
      const mixed = combine(rounds.map((r) => r.commands));
      const mixedPages = { samples: rounds.flatMap((r) => r.pages.samples), elapsedMs: rounds.reduce((sum, r) => sum + r.pages.elapsedMs, 0) };
      addCpu(cpu.mixed, before, cpuNow(group, postmaster));
      rss("end");
      const appLog = live.log.slice(-20);
      await app.stop();
      app = undefined;
      console.log("done");

      const proof = await prove(database, watermark, [
        { side: "http", samples: [...warm[0]!.samples, ...warmMixed.samples, ...httpRun.samples, ...mixed.samples], ops: [...ops.warmHttp, ...ops.warmMixed.flat(), ...ops.http, ...ops.mixed.flat()] },
        { side: "lib", samples: [...warm[1]!.samples, ...libRun.samples], ops: [...ops.warmLib, ...ops.lib] },
      ]);

      // Figures and targets.
      const ratio = perSecond(httpRun) / perSecond(libRun);
      const pageP95 = percentile(pages.samples.map((s) => s.ms), 95);
      const worstP95 = (samples: PageSample[]) => Math.max(...PAGES.map((p) => percentile(samples.filter((s) => s.page === p.name).map((s) => s.ms), 95)));
      const pageWorstP95 = worstP95(pages.samples);
      const pacedWorstP95 = worstP95(paced.samples);
      const afterWarm = memory.find((m) => m.at === "after warm-up")!;
      const end = memory.find((m) => m.at === "end")!;
      const growth = end.total / afterWarm.total - 1;
      const meanOf = (label: string) => {
        const own = rssSamples.filter((x) => x.phase === label).map((x) => x.total);
        return own.length ? own.reduce((a, b) => a + b, 0) / own.length : NaN;
      };
      const roundLabels = [...Array.from({ length: WARM_ROUNDS }, (_, r) => `warm-up round ${r + 1}`), ...Array.from({ length: ROUNDS }, (_, r) => `round ${r + 1}`)];
      const roundMeans = roundLabels.map((label) => ({ label, mean: meanOf(label) }));
      const lastWarm = meanOf(`warm-up round ${WARM_ROUNDS}`);
      const lastRound = meanOf(`round ${ROUNDS}`);
      const roundsGrowth = lastRound / lastWarm - 1;
      const pct = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)} %` : "—");
      const cpuPer = (use: Cpu, n: number) => (use.app + use.postgres + use.bench) / Math.max(1, n);
      const cpuRatio = cpuPer(cpu.lib, libRun.samples.length) / cpuPer(cpu.http, httpRun.samples.length);
      const pageCpu = (cpu.pages.app + cpu.pages.postgres) / Math.max(1, pages.samples.length);
      const met = (ok: boolean) => (ok ? "**met**" : "**not met**");
      const failures = httpRun.failures + libRun.failures + mixed.failures;
      const badPages = [...paced.samples, ...pages.samples, ...mixedPages.samples].filter((s) => !s.ok).length;
      const load = os.loadavg().map((v) => v.toFixed(1)).join(" / ");
      const cpus = os.cpus();
      const header = "| command | sent | per s | p50 ms | p95 ms | p99 ms | refused |\n|---|---:|---:|---:|---:|---:|---|";
      const pageHeader = "| page | loads | kB (gzip) | per s | p50 ms | p95 ms | p99 ms | not 200 with the page |\n|---|---:|---:|---:|---:|---:|---:|---|";
      const section = `## Soak

\`npm run bench:soak\` (on demand, not in CI) — the built app as \`npm start\` serves it (scripts/serve.ts: ${WORKERS} worker process${WORKERS === 1 ? "" : "es"} under node:cluster, LASTMILE_WORKERS) on ${CUSTOMERS.toLocaleString("en-US")} customers (${RESELLERS} resellers, half prepaid and half postpaid, the first holding half the customers; seeded by set-based SQL, RADIUS rows written), the mixed load at a fixed count: ${COMMANDS.toLocaleString("en-US")} commands per side in the proportions ${KINDS.map((k) => `${k} ${MIX[k]}`).join(", ")}, each on its own customer, subscription or pending payment and with its own Idempotency-Key; ${Math.round(RETRY_SHARE * 100)} % sent a second time with the same key (the webhook: the same event). HTTP: the REST API (\`/api/v1\`, reseller and admin Bearer tokens) and the signed Stripe webhook (sandbox gateway) from ${COMMAND_CLIENTS} keep-alive clients. Lib: the same commands on their own targets through lib's functions (\`activateSubscription\`, \`renewSubscription\`, \`recordCashReceived\`, \`addBalance\`, \`updateCustomer\`, \`setCustomerStatus\`, \`settleSession\`), ${COMMAND_CLIENTS} workers, a pool of ${POOL} connections like the app's. Pages: ${PAGE_USERS} users signed in once each through next-auth's credentials sign-in (${PAGE_USERS / 2} admins on the dashboard and Accounts Receivable, ${PAGE_USERS / 2} reseller users, half of them on the big reseller, on the customer list and statement), ${PAGES_PER_USER} loads per user, full HTML answers with \`Accept-Encoding: gzip\`: first at a user's pace (a pause after each load, exponentially distributed with a mean of ${(THINK_MS / 1000).toFixed(1)} s; BENCH_SOAK_THINK_MS), then all at once with no pause. Warm-up first: ${WARM_UP_COMMANDS} commands per side and ${WARM_UP_PAGES_PER_USER} loads per user, then ${WARM_ROUNDS} mixed round${WARM_ROUNDS === 1 ? "" : "s"} (each ${COMMANDS.toLocaleString("en-US")} HTTP commands and ${PAGES_PER_USER} loads per user at once). After the measured phases the mixed round runs ${ROUNDS} times (each on new targets) to see whether memory still grows.

Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown CPU"} shared with other work (load average at the end ${load}), Node ${process.version}, PostgreSQL ${version} (${process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : "embedded, same machine"}); app, clients and database share the machine.

**Commands, HTTP** (${SLICES} slices alternating with lib; ${(httpRun.elapsedMs / 1000).toFixed(1)} s, **${perSecond(httpRun).toFixed(1)} commands/s**):

${header}
${commandRows(httpRun).join("\n")}

**Commands, lib** (${(libRun.elapsedMs / 1000).toFixed(1)} s, **${perSecond(libRun).toFixed(1)} commands/s**):

${header}
${commandRows(libRun).join("\n")}

HTTP / lib: **${ratio.toFixed(2)}×** (target ≥ ${TARGET_RATIO}×: ${met(ratio >= TARGET_RATIO)}). CPU (from /proc) — HTTP: ${cpuLine(cpu.http, httpRun.samples.length, "command")}; lib: ${cpuLine(cpu.lib, libRun.samples.length, "command")}. On a shared machine the commands per second follow the CPU each command costs, so the ratio is about lib's CPU per command over HTTP's (${cpuRatio.toFixed(2)}× here).

**Pages, ${PAGE_USERS} users at a user's pace, no other load**: each user loads a page, reads it for a pause drawn from an exponential distribution with a mean of ${(THINK_MS / 1000).toFixed(1)} s (TPC-W's is 7 s), and loads the next (${(paced.elapsedMs / 1000).toFixed(1)} s, ${perSecond(paced).toFixed(1)} pages/s, p95 over all ${ms(percentile(paced.samples.map((s) => s.ms), 95))} ms):

${pageHeader}
${pageRows(paced.samples, paced.elapsedMs).join("\n")}

Page p95 < ${TARGET_PAGE_P95_MS} ms with ${PAGE_USERS} concurrent users: ${met(pacedWorstP95 < TARGET_PAGE_P95_MS)} (slowest page's p95 ${ms(pacedWorstP95)} ms). CPU: ${cpuLine(cpu.paced, paced.samples.length, "page")}.

**Pages, ${PAGE_USERS} requests always in flight, no other load** (each user loads the next page the moment the last one arrives: the stress figure; ${(pages.elapsedMs / 1000).toFixed(1)} s, ${perSecond(pages).toFixed(1)} pages/s, p95 over all ${ms(pageP95)} ms):

${pageHeader}
${pageRows(pages.samples, pages.elapsedMs).join("\n")}

Slowest page's p95 ${ms(pageWorstP95)} ms (${pageWorstP95 < TARGET_PAGE_P95_MS ? "under" : "over"} ${TARGET_PAGE_P95_MS} ms). CPU: ${cpuLine(cpu.pages, pages.samples.length, "page")}. With ${PAGE_USERS} requests in flight on ${cpus.length} cores, a page waits behind the other ${PAGE_USERS - 1}: about ${PAGE_USERS} × ${pageCpu.toFixed(0)} ms / ${cpus.length} ≈ ${ms((PAGE_USERS * pageCpu) / cpus.length)} ms of CPU on average, more at the 95th percentile, so a p95 under ${TARGET_PAGE_P95_MS} ms here would need well under ${((TARGET_PAGE_P95_MS * cpus.length) / PAGE_USERS).toFixed(0)} CPU ms per page (app and PostgreSQL together); a signed-out sign-in page alone cost Next.js about 10 ms of CPU on this machine (one worker, 2026-11-26).

**Mixed: HTTP commands and the ${PAGE_USERS} users at once, no pauses**, ${ROUNDS} round${ROUNDS === 1 ? "" : "s"} of ${COMMANDS.toLocaleString("en-US")} commands and ${PAGES_PER_USER} loads per user (${(mixed.elapsedMs / 1000).toFixed(1)} s for the commands, ${(mixedPages.elapsedMs / 1000).toFixed(1)} s for the pages):

${header}
${commandRows(mixed).join("\n")}

${pageHeader}
${pageRows(mixedPages.samples, mixedPages.elapsedMs).join("\n")}

CPU: ${cpuLine(cpu.mixed, mixed.samples.length + mixedPages.samples.length, "request")}.

**Memory** of the app (RSS of its process group, MiB; in brackets each process, the supervising primary first): ${memory.map((m) => `${m.at} ${m.total.toFixed(0)} (${m.each.map((v) => v.toFixed(0)).join(" + ")})`).join("; ")}. Mean RSS per mixed round, read every 2 s (each worker's heap saws up and down by about 100 MiB as V8 collects, so one reading can land high or low): ${roundMeans.map((r) => `${r.label} ${Number.isFinite(r.mean) ? r.mean.toFixed(0) : "—"}`).join(", ")}. From the last warm-up round to the last round: ${pct(roundsGrowth)} (no growth past warm-up, within ${MEMORY_TOLERANCE * 100} %: ${met(roundsGrowth <= MEMORY_TOLERANCE)}); point readings from after warm-up to the end: ${pct(growth)}.

What the memory was. Until 2026-11-26 the mean RSS per round rose past warm-up (+31 % at 100,000 customers, about 100 MiB per worker per round of 800 commands and 320 pages) while heap snapshots of a worker held a constant 78 MB of live objects; glibc tuning and jemalloc did not change it. \`--trace-gc\` (BENCH_NODE_ARGS, BENCH_APP_LOG) showed where it went: each full collection left about 120 MB live, but V8 set the next one at up to 4× that (it grows the old generation by a factor between 1.1 and 4 chosen from how fast it collects against how fast the app allocates, and a fast collector earns the top factor), so a worker's heap reached 585 MB committed, and V8 does not hand heap pages back while the load goes on. The workers now run with \`--heap-growing-percent=50\` (scripts/serve.ts): the next full collection comes at 1.5× what was live, the heap stays near 300 MB, and the app's CPU per page and per command did not rise (25.8 and 8.8 ms in the run that showed it, against 26.5 and 10.1 ms in the run before it without the flag; mean RSS per round 950, 974 in the warm-up, then 983, 989, 990 MiB: +1.7 %). A longer run with six measured rounds (BENCH_SOAK_ROUNDS=6, same day) read 936 and 958 MiB in the warm-up rounds, then 964, 971, 977, 981, 987, 989: +3.3 %, a creep of 2 to 7 MiB a round for both workers together that slows, where it used to be about 100 MiB per worker per round.

Where the time goes. The app is CPU-bound JavaScript, so it runs as one worker per core (\`LASTMILE_WORKERS\`, node:cluster): with one process, 16 renders in flight queued on one core. Of the busy samples of a V8 profile of both workers during a smaller run (\`BENCH_PROFILE_DIR\`, 20,000 customers, 2026-11-26, the last 60 % of the run), about 24 % were the pages' own server and client components rendering, 22 % Next.js's server (routing, RSC and HTML streams), 10 % garbage collection, 6 % postgres.js writing to loopback TCP (the kernel bills the delivery to the sender; the app now reaches a local PostgreSQL through its Unix socket), 4 % postgres.js itself, 4 % gzip and 2 % next-auth's per-request key derivation (HKDF). An earlier profile had money formatting build two \`Intl.NumberFormat\`s per amount (about 90 µs each, hundreds per page); formatters are now made once, which took the app's CPU per page from about 50 to 35 ms on the same (loaded) machine, and the Unix socket from 35 to 31. The workers run with 64 MB semi-spaces (\`--max-semi-space-size\`, scripts/serve.ts), so a render's garbage dies young: at 100,000 customers the app's CPU per page went from 34 to 27 ms between two full runs (load 5 and 4), for about 150 MiB more RSS per worker. An HTTP command costs the database more than its lib twin: the token check, its rate-limit count, the Idempotency-Key's claim and the stored answer with its audit row are four more transactions. Each activation, renewal, suspension and edit rewrites the customer's RADIUS rows by their username index.

**Exactly once**, queried after the app stopped:

${proof.lines.map((l) => `- ${l}`).join("\n")}
${failures || badPages ? `\n${failures} commands failed without an answer, ${badPages} page loads without their page.\n` : ""}`;
      console.log(`\n${section}`);
      if (failures || badPages) console.log(`app log:\n${appLog.join("\n")}`);
      if (process.env.BENCH_NO_REPORT !== "1") writeReportSection("Soak", section);
      if (!proof.holds || failures || badPages) process.exitCode = 1;
    } finally {
      await app?.stop();
      await database.close();
    }
  });
});
