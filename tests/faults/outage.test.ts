import { mkdtempSync, rmSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inArray } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect, type Database, type Db } from "@/db/client";
import { passwordFileOf, startEmbeddedPostgres, withDatabase, type RunningPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { ledgerEntries } from "@/db/schema";
import { activateSubscription, addBalance, recordCashReceived, renewSubscription } from "@/lib/billing";
import { checkInvariants } from "@/lib/billing/invariants";
import { isDomainError } from "@/lib/errors";
import { setCustomerStatus, updateCustomer } from "@/lib/portal/customer-commands";
import { adminActor, makeChargeableReseller, makeCustomers, newKey, resellerActor } from "../support/factories";

// A database outage under load: the PostgreSQL server is shut down (fast
// shutdown: every backend terminated, 57P01) while eight clients run a mixed
// load of lib commands on one pool, stays down, and comes back on the same
// port. The pool is never recreated.

let dir = "";
let server: RunningPostgres | undefined;
let database: Database | undefined;
let port = 0;
const db = (): Db => database!.db;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lastmile-faults-"));
  chmodSync(dir, 0o755);
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: true });
  port = server.port;
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  await admin.unsafe("CREATE DATABASE lastmile_faults");
  await admin.end();
  const url = withDatabase(server.url, "lastmile_faults");
  await runMigrations(url);
  database = connect(url, { max: 16 });
});

afterAll(async () => {
  await database?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(passwordFileOf(path.join(dir, "pg")), { force: true });
});

/** Commands answered before the server stops, and after it is back, before the load ends. */
const LOAD_BEFORE = 150;
const LOAD_AFTER = 150;

type Outcome = { key: string | null; command: string; posts: boolean; outcome: "acknowledged" | "refused" | "unavailable" | "failed"; code?: string; error?: unknown };

it("stop PostgreSQL under a mixed load and start it again: acknowledged commands posted exactly once, refused ones not, the same pool serves again, invariants sound", async () => {
  const prepaid = await makeChargeableReseller(db(), { rate: 100n, openingBalance: 10_000_000n });
  const postpaid = await makeChargeableReseller(db(), { rate: 100n, type: "postpaid", collectionLimit: 20_000n });
  const owners = [prepaid, postpaid];
  const customersOf = await Promise.all(owners.map((o) => makeCustomers(db(), o.reseller.id, o.area.id, 32)));

  const outcomes: Outcome[] = [];
  async function run(command: string, key: string | null, posts: boolean, call: () => Promise<unknown>) {
    try {
      await call();
      outcomes.push({ key, command, posts, outcome: "acknowledged" });
      return true;
    } catch (error) {
      if (isDomainError(error, "DATABASE_UNAVAILABLE")) outcomes.push({ key, command, posts, outcome: "unavailable", code: error.code });
      else if (isDomainError(error)) outcomes.push({ key, command, posts, outcome: "refused", code: error.code });
      else outcomes.push({ key, command, posts, outcome: "failed", error });
      return false;
    }
  }
  const keyed = new Map<string, () => Promise<unknown>>();

  let stopping = false;
  // Eight clients, each with its own eight customers: activate, then rounds of renew, a credit, an edit and a suspend/reactivate.
  async function client(index: number) {
    const owner = owners[index % 2]!;
    const actor = resellerActor(owner.reseller.id);
    const mine = customersOf[index % 2]!.slice(Math.floor(index / 2) * 8, Math.floor(index / 2) * 8 + 8);
    const subscriptionOf = new Map<string, string>();
    let round = 0;
    while (!stopping) {
      for (const customer of mine) {
        if (stopping) break;
        const current = subscriptionOf.get(customer.id);
        const key = newKey();
        if (!current) {
          const call = () => activateSubscription(db(), actor, { resellerId: owner.reseller.id, customerId: customer.id, packageId: owner.pkg.id, idempotencyKey: key });
          keyed.set(key, call);
          try {
            const result = await call();
            subscriptionOf.set(customer.id, result.subscription.id);
            outcomes.push({ key, command: "activate", posts: true, outcome: "acknowledged" });
          } catch (error) {
            outcomes.push(isDomainError(error) ? { key, command: "activate", posts: true, outcome: isDomainError(error, "DATABASE_UNAVAILABLE") ? "unavailable" : "refused", code: error.code } : { key, command: "activate", posts: true, outcome: "failed", error });
          }
        } else {
          const call = () => renewSubscription(db(), actor, { resellerId: owner.reseller.id, subscriptionId: current, idempotencyKey: key });
          keyed.set(key, call);
          await run("renew", key, true, call);
        }
        const creditKey = newKey();
        const credit =
          round % 2 === 0
            ? () => addBalance(db(), adminActor, { resellerId: owner.reseller.id, amount: 150n, method: "cash", idempotencyKey: creditKey })
            : () => recordCashReceived(db(), adminActor, { resellerId: owner.reseller.id, amount: 150n, method: "bank_transfer", source: "accounts_receivable", idempotencyKey: creditKey });
        keyed.set(creditKey, credit);
        await run(round % 2 === 0 ? "addBalance" : "cashReceived", creditKey, true, credit);
        await run("edit", null, false, () =>
          updateCustomer(db(), actor, { resellerId: owner.reseller.id, customerId: customer.id, username: customer.username, name: `Round ${round}`, phone: null, address: null, areaId: owner.area.id }),
        );
        await run(round % 3 === 2 ? "suspend" : "reactivate", null, false, () =>
          setCustomerStatus(db(), actor, { resellerId: owner.reseller.id, customerId: customer.id, status: round % 3 === 2 ? "suspended" : "active", reason: null }),
        );
      }
      round++;
    }
  }

  const clients = Array.from({ length: 8 }, (_, i) => client(i));
  const waitFor = async (count: number) => {
    while (outcomes.length < count) await sleep(50);
  };
  await waitFor(LOAD_BEFORE);
  const beforeOutage = outcomes.length;
  await server!.stop();
  await sleep(2_500);
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), port });
  const atRestart = outcomes.length;
  await waitFor(atRestart + LOAD_AFTER);
  stopping = true;
  await Promise.all(clients);

  const failed = outcomes.filter((o) => o.outcome === "failed");
  expect(failed.map((o) => String(o.error))).toEqual([]);

  const moneyKeys = outcomes.filter((o) => o.posts && o.key).map((o) => o.key!);
  const posted = new Map<string, number>();
  for (let i = 0; i < moneyKeys.length; i += 500) {
    const rows = await db()
      .select({ key: ledgerEntries.idempotencyKey })
      .from(ledgerEntries)
      .where(inArray(ledgerEntries.idempotencyKey, moneyKeys.slice(i, i + 500)));
    for (const row of rows) posted.set(row.key!, (posted.get(row.key!) ?? 0) + 1);
  }
  const money = outcomes.filter((o) => o.posts);
  const acknowledged = money.filter((o) => o.outcome === "acknowledged");
  const refused = money.filter((o) => o.outcome === "refused");
  const unavailable = money.filter((o) => o.outcome === "unavailable");
  for (const o of acknowledged) expect(posted.get(o.key!) ?? 0, `${o.command} ${o.key}`).toBe(1);
  for (const o of refused) expect(posted.get(o.key!) ?? 0, `${o.command} ${o.key} (${o.code})`).toBe(0);
  // "Try again" answers: each posted at most once; a commit the outage hid from its client is found by its key on the retry.
  const hiddenCommits = unavailable.filter((o) => (posted.get(o.key!) ?? 0) === 1).length;
  for (const o of unavailable) expect(posted.get(o.key!) ?? 0).toBeLessThanOrEqual(1);
  let retriedPosted = 0;
  for (const o of unavailable) {
    try {
      await keyed.get(o.key!)!();
      retriedPosted++;
    } catch (error) {
      expect(isDomainError(error), String(error)).toBe(true);
    }
    const rows = await db().select({ id: ledgerEntries.id }).from(ledgerEntries).where(inArray(ledgerEntries.idempotencyKey, [o.key!]));
    expect(rows.length).toBeLessThanOrEqual(1);
  }

  // The same pool, never recreated, serves again.
  const after = await addBalance(db(), adminActor, { resellerId: prepaid.reseller.id, amount: 1n, method: "cash", idempotencyKey: newKey() });
  expect(after.replayed).toBe(false);
  expect(await checkInvariants(db())).toEqual([]);

  const counts = {
    commandsSent: outcomes.length,
    beforeOutage,
    acknowledged: outcomes.filter((o) => o.outcome === "acknowledged").length,
    refusedByRules: outcomes.filter((o) => o.outcome === "refused").length,
    unavailable: outcomes.filter((o) => o.outcome === "unavailable").length,
    moneyCommands: money.length,
    moneyAcknowledged: acknowledged.length,
    postingsChecked: moneyKeys.length,
    unavailableButCommitted: hiddenCommits,
    retriedAfterwards: unavailable.length,
    retriedAcknowledged: retriedPosted,
  };
  console.log(`faults/outage ${JSON.stringify(counts)}`);
  expect(counts.unavailable).toBeGreaterThan(0); // the outage was real
  // The clients went on after the restart on the same pool.
  expect(outcomes.slice(atRestart).filter((o) => o.outcome === "acknowledged").length).toBeGreaterThan(0);
});
