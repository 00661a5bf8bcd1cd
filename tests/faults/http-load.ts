// The fault suites' mixed load over HTTP, against the built app (`next start`,
// signed in as lastmile_app as `npm start` runs it): REST API commands under
// Idempotency-Keys (activations, renewals, Add Balance, Cash Received,
// customer edits and suspensions) from reseller and admin tokens, and signed
// Stripe events to the webhook for online payments started through the API.
// Then the books are checked key by key against what each client was told.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { and, eq, inArray, sql } from "drizzle-orm";
import postgres from "postgres";
import Stripe from "stripe";
import { expect } from "vitest";
import { startBuiltApp, type BuiltApp } from "@/bench/harness";
import { connect, type Database, type Db } from "@/db/client";
import { passwordFileOf, startEmbeddedPostgres, withDatabase, type RunningPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { asAppRole } from "@/db/privileges";
import { auditLog, customers, ledgerEntries, onlinePayments } from "@/db/schema";
import { commandKeyFor } from "@/lib/api/idempotency";
import { issueApiToken } from "@/lib/api/tokens";
import { activateSubscription } from "@/lib/billing";
import { checkInvariants } from "@/lib/billing/invariants";
import { eventBody, sandboxSessionObject } from "@/lib/payments/sandbox";
import { allPermissions } from "@/lib/permissions";
import { buildIfNeeded } from "@/scripts/build";
import { adminActor, makeArea, makeCustomers, makePackage, makeReseller, makeUser, newKey, resellerActor } from "../support/factories";

export const WEBHOOK_SECRET = "whsec_faults_http_load";

// ---------------------------------------------------------------------------
// The database and the app
// ---------------------------------------------------------------------------

export type FaultEnvironment = {
  /** The owner's connection: seeding and the checks. */
  database: Database;
  db: Db;
  /** What the app signs in with (lastmile_app). */
  appUrl: string;
  stop: () => Promise<void>;
};

/** Builds the app if .next is stale, then a persistent embedded PostgreSQL with a migrated database of its own. */
export async function startFaultEnvironment(name: string): Promise<FaultEnvironment> {
  buildIfNeeded(path.resolve(import.meta.dirname, "..", ".."));
  const dir = mkdtempSync(path.join(tmpdir(), `lastmile-${name}-`));
  chmodSync(dir, 0o755);
  let server: RunningPostgres | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: true });
    const admin = postgres(server.url, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE lastmile_${name}`);
    await admin.end();
    const owner = withDatabase(server.url, `lastmile_${name}`);
    await runMigrations(owner, { appPassword: server.appPassword });
    const database = connect(owner, { max: 8 });
    const running = server;
    return {
      database,
      db: database.db,
      appUrl: asAppRole(owner, server.appPassword),
      stop: async () => {
        await database.close();
        await running.stop();
        rmSync(dir, { recursive: true, force: true });
        rmSync(passwordFileOf(path.join(dir, "pg")), { force: true });
      },
    };
  } catch (error) {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** The built app on the fault database: payments in sandbox mode with a known webhook secret, no rate limit in the way. */
export function startApp(appUrl: string): Promise<BuiltApp> {
  return startBuiltApp({
    databaseUrl: appUrl,
    readyPath: "/api/v1/openapi.json",
    // The server `npm start` runs: the client-address front and two workers under node:cluster sharing the port.
    workers: 2,
    // A loaded CI machine starts slowly; this is a bound, not a measurement.
    readyWithinMs: 180_000,
    env: { NODE_ENV: "production", LASTMILE_PAYMENTS_SANDBOX: "1", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, LASTMILE_API_RATE_LIMIT: "1000000" },
  });
}

// ---------------------------------------------------------------------------
// Operations and answers
// ---------------------------------------------------------------------------

export type Kind = "activate" | "renew" | "addBalance" | "cashReceived" | "edit" | "suspend" | "webhook";
const MONEY: Kind[] = ["activate", "renew", "addBalance", "cashReceived"];

export type Op = {
  id: number;
  kind: Kind;
  method: "POST" | "PATCH";
  path: string;
  body: string;
  /** API ops: the bearer token, its owner and the Idempotency-Key. */
  token?: string;
  owner?: string;
  key?: string;
  customerId?: string;
  /** The new name an edit sends. */
  name?: string;
  /** Webhook ops: the checkout session the event pays. */
  sessionId?: string;
};

/** What a client got: a status with its JSON body, or nothing (status 0: the connection died first). */
export type Answer = { status: number; body: Record<string, unknown> | null; replayed: boolean };

export const acknowledged = (a: Answer | undefined) => a !== undefined && a.status >= 200 && a.status < 300;
export const isMoney = (op: Op) => MONEY.includes(op.kind);
/** The key the money command posts under: lib's, derived from the token's owner and the HTTP key; for an event, the session. */
export const ledgerKeyOf = (op: Op) => (op.kind === "webhook" ? op.sessionId! : commandKeyFor(op.owner!, op.key!));

/** Sends one op; a dead connection answers status 0. Webhook events are signed at sending, as each redelivery is. */
export async function send(baseUrl: string, op: Op): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (op.kind === "webhook") headers["stripe-signature"] = Stripe.webhooks.generateTestHeaderString({ payload: op.body, secret: WEBHOOK_SECRET });
  else {
    headers.authorization = `Bearer ${op.token}`;
    headers["idempotency-key"] = op.key!;
  }
  try {
    const response = await fetch(`${baseUrl}${op.path}`, { method: op.method, headers, body: op.body });
    const text = await response.text();
    let body: Record<string, unknown> | null = null;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {}
    return { status: response.status, body, replayed: response.headers.get("idempotent-replayed") === "true" };
  } catch {
    return { status: 0, body: null, replayed: false };
  }
}

/** A 409 "still running" (the first request under the key holds it, or held it when its process died): the client tries again later. */
export const inProgress = (a: Answer) => a.status === 409 && typeof a.body?.code === "string" && a.body.code === "REQUEST_IN_PROGRESS";

/**
 * Sends `op` until it gets a final answer: no answer, a 5xx or 409
 * REQUEST_IN_PROGRESS are retried with the same key (a claim left by a killed
 * process is taken over after lib/api/idempotency's ABANDONED_AFTER_SECONDS).
 */
export async function sendUntilAnswered(baseUrl: string, op: Op, deadline: number): Promise<Answer> {
  for (;;) {
    const answer = await send(baseUrl, op);
    if (answer.status !== 0 && answer.status < 500 && !inProgress(answer)) return answer;
    if (Date.now() > deadline) return answer;
    await sleep(1_000);
  }
}

export type LoadControl = { inFlight: number; sent: number; stop: () => void };

/**
 * Runs `ops` from `clients` concurrent clients, each one request at a time;
 * `onAnswer` sees each answer as it comes, with the load's state (and may stop
 * it: no op is sent after that). Returns every answer by op id.
 */
export async function drive(ops: Op[], clients: number, sendOne: (op: Op) => Promise<Answer>, onAnswer?: (op: Op, answer: Answer, control: LoadControl) => void) {
  const answers = new Map<number, Answer>();
  let next = 0;
  let stopped = false;
  const control: LoadControl = {
    inFlight: 0,
    sent: 0,
    stop: () => {
      stopped = true;
    },
  };
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!stopped && next < ops.length) {
        const op = ops[next++]!;
        control.inFlight++;
        control.sent++;
        const answer = await sendOne(op);
        control.inFlight--;
        answers.set(op.id, answer);
        onAnswer?.(op, answer, control);
      }
    }),
  );
  return answers;
}

// ---------------------------------------------------------------------------
// Seeding the load
// ---------------------------------------------------------------------------

const RATE = 100n;

export type Load = { ops: Op[]; customerIds: string[] };

/**
 * Resellers (half prepaid with a small balance, half postpaid with a small
 * collection limit, so the load runs into both limits), their tokens, an admin
 * token, customers, subscriptions to renew, and online payments started
 * through the API (the events paying them go in the load), then the mixed
 * load, shuffled.
 */
export async function seedLoad(db: Db, appBaseUrl: string, options: { resellers: number; customersPerReseller: number; paymentsPerReseller: number }): Promise<Load> {
  const area = await makeArea(db);
  const pkg = await makePackage(db);
  const adminUser = await makeUser(db, { role: "admin" });
  const { token: adminToken } = await issueApiToken(db, adminActor, { userId: adminUser.id, name: "faults admin" });
  const ops: Omit<Op, "id">[] = [];
  const customerIds: string[] = [];
  for (let r = 0; r < options.resellers; r++) {
    const prepaid = r % 2 === 0;
    // Room for the subscriptions charged before the load, and for a fraction of the load's charges (the rest meet the limit, racing the top-ups).
    const renewed = BigInt(Math.floor(options.customersPerReseller / 4));
    const room = RATE * (renewed + BigInt(Math.floor(options.customersPerReseller / 6)));
    const reseller = await makeReseller(db, {
      type: prepaid ? "prepaid" : "postpaid",
      collectionLimit: prepaid ? 0n : room,
      openingBalance: prepaid ? room : undefined,
      rates: [{ packageId: pkg.id, rate: RATE }],
      areaIds: [area.id],
      permissions: allPermissions,
    });
    const user = await makeUser(db, { role: "reseller", resellerId: reseller.id });
    const { token } = await issueApiToken(db, adminActor, { userId: user.id, name: `faults ${r}` });
    const api = (kind: Kind, method: Op["method"], path: string, body: unknown, extra: Partial<Op> = {}) =>
      ops.push({ kind, method, path, body: JSON.stringify(body), token, owner: user.id, key: newKey(), ...extra });
    const admin = (kind: Kind, body: unknown) =>
      ops.push({ kind, method: "POST", path: `/api/v1/resellers/${reseller.id}/${kind === "addBalance" ? "balance" : "cash-received"}`, body: JSON.stringify(body), token: adminToken, owner: adminUser.id, key: newKey() });

    const rows = await makeCustomers(db, reseller.id, area.id, options.customersPerReseller);
    rows.forEach((customer, i) => {
      customerIds.push(customer.id);
      if (i % 4 === 3) {
        // Active already (through lib, before the load): renewed in the load.
        return;
      }
      api("activate", "POST", `/api/v1/customers/${customer.id}/activations`, { packageId: pkg.id }, { customerId: customer.id });
      if (i % 6 === 0) api("suspend", "POST", `/api/v1/customers/${customer.id}/suspend`, { reason: "Fault suite: unpaid" }, { customerId: customer.id });
      if (i % 5 === 1) {
        const name = `Edited ${customer.username}`;
        api("edit", "PATCH", `/api/v1/customers/${customer.id}`, { name }, { customerId: customer.id, name });
      }
      if (i % 5 === 0) admin(prepaid ? "addBalance" : "cashReceived", { amount: "2.50", method: "cash" });
    });
    for (const [i, customer] of rows.entries()) {
      if (i % 4 !== 3) continue;
      const { subscription } = await activateSubscription(db, resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
      api("renew", "POST", `/api/v1/subscriptions/${subscription.id}/renewals`, {}, { customerId: customer.id });
    }
    // Online payments started through the API (sandbox checkout): their paid events go in the load, some twice.
    for (let p = 0; p < options.paymentsPerReseller; p++) {
      const started = await send(appBaseUrl, { id: -1, kind: "activate", method: "POST", path: "/api/v1/online-payments", body: JSON.stringify({ amount: "3.00" }), token, owner: user.id, key: newKey() });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      const [payment] = await db.select().from(onlinePayments).where(eq(onlinePayments.id, String(started.body!.onlinePaymentId)));
      expect(payment?.checkoutSessionId).toBeTruthy();
      const event = { kind: "webhook" as const, method: "POST" as const, path: "/api/payments/stripe/webhook", body: eventBody("checkout.session.completed", sandboxSessionObject(payment!, "paid")), sessionId: payment!.checkoutSessionId! };
      ops.push(event);
      if (p % 2 === 0) ops.push({ ...event }); // a redelivery: the same event id
    }
  }
  return { ops: shuffle(ops).map((op, id) => ({ ...op, id })), customerIds };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

// ---------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------

/** Ledger entry ids by the key they were posted under. */
export async function postingsByKey(db: Db, keys: string[]): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .select({ id: ledgerEntries.id, key: ledgerEntries.idempotencyKey })
      .from(ledgerEntries)
      .where(inArray(ledgerEntries.idempotencyKey, unique.slice(i, i + 500)));
    for (const row of rows) found.set(row.key!, [...(found.get(row.key!) ?? []), row.id]);
  }
  return found;
}

/**
 * Checks every op against the books and what its clients were told (`told`:
 * every answer each op got, from any instance, in any round):
 * an acknowledged money command is posted exactly once, under the entry its
 * answer names (every acknowledgement of one key names the same entry); a
 * money command refused by the rules (4xx) posted nothing unless another
 * answer to its key acknowledged it; nothing posted twice; a paid event's
 * payment is paid with its one credit; an acknowledged edit or suspension is
 * in the customer row; no charge of a suspended customer comes after its
 * suspension; the invariants hold. Returns the postings checked, and how many
 * suspended customers were charged (before their suspension).
 */
export async function checkBooks(db: Db, ops: Op[], told: Map<number, Answer[]>): Promise<{ postingsChecked: number; chargedThenSuspended: number }> {
  const posted = await postingsByKey(db, ops.filter(isMoney).concat(ops.filter((op) => op.kind === "webhook")).map(ledgerKeyOf));
  let checked = 0;
  let chargedThenSuspended = 0;
  for (const op of ops) {
    const answers = told.get(op.id) ?? [];
    const acks = answers.filter(acknowledged);
    if (isMoney(op)) {
      const entries = posted.get(ledgerKeyOf(op)) ?? [];
      checked++;
      expect(entries.length, `${op.kind} ${op.key}: posted ${entries.length} times`).toBeLessThanOrEqual(1);
      if (acks.length) {
        expect(entries, `${op.kind} ${op.key} was acknowledged`).toHaveLength(1);
        for (const ack of acks) expect(ack.body?.entryId, `${op.kind} ${op.key}: the answer names the entry`).toBe(entries[0]);
      } else if (answers.length && answers.every((a) => a.status >= 400 && a.status < 500 && !inProgress(a))) {
        expect(entries, `${op.kind} ${op.key} was refused (${answers.map((a) => a.status).join(", ")})`).toEqual([]);
      }
    }
  }
  // Events: a session's credit is posted at most once, and exactly once (the payment paid) once any delivery was acknowledged.
  const events = ops.filter((op) => op.kind === "webhook");
  const sessions = [...new Set(events.map((op) => op.sessionId!))];
  const payments = sessions.length ? await db.select().from(onlinePayments).where(inArray(onlinePayments.checkoutSessionId, sessions)) : [];
  for (const session of sessions) {
    const entries = posted.get(session) ?? [];
    checked++;
    expect(entries.length, `session ${session}: credited ${entries.length} times`).toBeLessThanOrEqual(1);
    const delivered = events.some((op) => op.sessionId === session && (told.get(op.id) ?? []).some(acknowledged));
    if (delivered) {
      const payment = payments.find((p) => p.checkoutSessionId === session)!;
      expect(entries, `session ${session} was acknowledged`).toHaveLength(1);
      expect({ status: payment.status, entry: payment.ledgerEntryId }).toEqual({ status: "paid", entry: entries[0] });
    }
  }
  // Edits and suspensions acknowledged are in the rows.
  const touched = ops.filter((op) => (op.kind === "edit" || op.kind === "suspend") && (told.get(op.id) ?? []).some(acknowledged));
  const rows = touched.length ? await db.select().from(customers).where(inArray(customers.id, [...new Set(touched.map((op) => op.customerId!))])) : [];
  for (const op of touched) {
    const row = rows.find((c) => c.id === op.customerId)!;
    if (op.kind === "edit") expect(row.name).toBe(op.name);
    else expect(row.status).toBe("suspended");
  }
  // A suspension and a charge of one customer serialise: no charge of a suspended customer comes after its suspension
  // (audit rows are numbered under the customer's lock, so their order is the commit order).
  const suspended = [...new Set(touched.filter((op) => op.kind === "suspend").map((op) => op.customerId!))];
  if (suspended.length) {
    const late = await db.execute<{ customer_id: string; charge: string; suspension: string }>(sql`
      select ${ledgerEntries.customerId} as customer_id, charge.id as charge, suspension.id as suspension
      from ${ledgerEntries}
      join ${auditLog} charge on charge.target_type = 'ledger_entry' and charge.target_id = ${ledgerEntries.id}::text
      join ${auditLog} suspension on suspension.action = 'customer.suspend' and suspension.target_id = ${ledgerEntries.customerId}::text
      where ${inArray(ledgerEntries.kind, ["activation", "renewal"])} and ${inArray(ledgerEntries.customerId, suspended)} and charge.id > suspension.id`);
    expect([...late], "charges after the customer's suspension").toEqual([]);
    const charged = await db
      .selectDistinct({ customerId: ledgerEntries.customerId })
      .from(ledgerEntries)
      .where(and(inArray(ledgerEntries.kind, ["activation", "renewal"]), inArray(ledgerEntries.customerId, suspended)));
    chargedThenSuspended = charged.length;
  }
  expect(await checkInvariants(db)).toEqual([]);
  return { postingsChecked: checked, chargedThenSuspended };
}

/** The refusal codes in `answers` (problem+json `code`), counted. */
export function refusalCodes(answers: Iterable<Answer>): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const a of answers) {
    if (a.status < 400 || a.status >= 500) continue;
    const code = typeof a.body?.code === "string" ? a.body.code : String(a.status);
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}
