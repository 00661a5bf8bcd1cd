import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inArray } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connect, type Database, type Db } from "@/db/client";
import { passwordFileOf, startEmbeddedPostgres, withDatabase, type RunningPostgres } from "@/db/embedded";
import { runMigrations } from "@/db/migrate";
import { ledgerEntries } from "@/db/schema";
import { activateSubscription, addBalance } from "@/lib/billing";
import { checkInvariants } from "@/lib/billing/invariants";
import { isDomainError } from "@/lib/errors";
import { adminActor, makeChargeableReseller, makeCustomers, newKey, resellerActor } from "../support/factories";
import type { WorkerOp } from "./worker";

// Command-path processes (tests/faults/worker.ts: lib on its own pool, as an
// app instance runs it) killed with SIGKILL mid-load, and two of them given
// the same commands under the same keys at once, on one PostgreSQL. (The
// built app over HTTP, with the webhook, is not driven here.)

let dir = "";
let server: RunningPostgres | undefined;
let database: Database | undefined;
let url = "";
const db = (): Db => database!.db;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "lastmile-crash-"));
  chmodSync(dir, 0o755);
  server = await startEmbeddedPostgres({ dataDir: path.join(dir, "pg"), persistent: true });
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  await admin.unsafe("CREATE DATABASE lastmile_crash");
  await admin.end();
  url = withDatabase(server.url, "lastmile_crash");
  await runMigrations(url);
  database = connect(url, { max: 10 });
});

afterAll(async () => {
  await database?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
  rmSync(passwordFileOf(path.join(dir, "pg")), { force: true });
});

type Answer = { kind: "ack"; key: string; entryId: number; replayed: boolean } | { kind: "refused"; key: string; code: string };

/** Starts one worker with `ops`; `answers` fills as it prints; `killAfter` acks, it is SIGKILLed. */
function startWorker(ops: WorkerOp[], killAfter?: number) {
  const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "--conditions=react-server", "tests/faults/worker.ts"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const answers: Answer[] = [];
  let buffered = "";
  let killed = false;
  child.stdout.on("data", (data: Buffer) => {
    buffered += data.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      const [kind, key, a, b] = line.split(" ");
      if (kind === "ack") answers.push({ kind, key: key!, entryId: Number(a), replayed: b === "true" });
      else if (kind === "refused") answers.push({ kind, key: key!, code: a! });
      if (killAfter !== undefined && !killed && answers.filter((x) => x.kind === "ack").length >= killAfter) {
        killed = true;
        child.kill("SIGKILL");
      }
    }
  });
  child.stdin.end(JSON.stringify(ops));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal })));
  return { answers, done };
}

async function postingsByKey(keys: string[]) {
  const counts = new Map<string, number[]>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await db()
      .select({ id: ledgerEntries.id, key: ledgerEntries.idempotencyKey })
      .from(ledgerEntries)
      .where(inArray(ledgerEntries.idempotencyKey, keys.slice(i, i + 500)));
    for (const row of rows) counts.set(row.key!, [...(counts.get(row.key!) ?? []), row.id]);
  }
  return counts;
}

/** Runs an op in this process (the client's retry with its key). */
async function retry(op: WorkerOp) {
  try {
    const result =
      op.kind === "activate"
        ? await activateSubscription(db(), resellerActor(op.resellerId), { resellerId: op.resellerId, customerId: op.customerId, packageId: op.packageId, idempotencyKey: op.key })
        : await addBalance(db(), adminActor, { resellerId: op.resellerId, amount: BigInt(op.amount), method: "cash", idempotencyKey: op.key });
    return { ok: true as const, entryId: result.entry.id };
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return { ok: false as const, code: error.code };
  }
}

async function mixedOps(type: "prepaid" | "postpaid", customers: number): Promise<WorkerOp[]> {
  const { reseller, pkg, area } =
    type === "prepaid"
      ? await makeChargeableReseller(db(), { rate: 100n, openingBalance: 1_000n })
      : await makeChargeableReseller(db(), { rate: 100n, type: "postpaid", collectionLimit: 2_000n });
  const rows = await makeCustomers(db(), reseller.id, area.id, customers);
  const ops: WorkerOp[] = [];
  rows.forEach((customer, i) => {
    ops.push({ kind: "activate", key: newKey(), resellerId: reseller.id, customerId: customer.id, packageId: pkg.id });
    if (i % 4 === 0) ops.push({ kind: "addBalance", key: newKey(), resellerId: reseller.id, amount: "250" });
  });
  return ops;
}

it("SIGKILL mid-load: every acknowledged command posted once; the unacknowledged, retried with their keys, post at most once; invariants sound", async () => {
  const ops = [...(await mixedOps("prepaid", 60)), ...(await mixedOps("postpaid", 60))];
  const worker = startWorker(ops, 25);
  const exit = await worker.done;
  expect(exit.signal).toBe("SIGKILL");
  const acked = worker.answers.filter((a) => a.kind === "ack");
  const answered = new Set(worker.answers.map((a) => a.key));
  const posted = await postingsByKey(ops.map((o) => o.key));
  for (const a of acked) expect(posted.get(a.key)).toEqual([a.entryId]);
  for (const a of worker.answers) if (a.kind === "refused") expect(posted.get(a.key)).toBeUndefined();
  const unanswered = ops.filter((o) => !answered.has(o.key));
  const committedUnanswered = unanswered.filter((o) => posted.has(o.key)).length;
  let retriedAcked = 0;
  for (const op of unanswered) if ((await retry(op)).ok) retriedAcked++;
  const after = await postingsByKey(ops.map((o) => o.key));
  for (const op of ops) expect((after.get(op.key) ?? []).length).toBeLessThanOrEqual(1);
  expect(await checkInvariants(db())).toEqual([]);
  console.log(
    `faults/crash ${JSON.stringify({ commandsSent: ops.length, acknowledged: acked.length, refusedByRules: worker.answers.filter((a) => a.kind === "refused").length, unanswered: unanswered.length, committedButUnanswered: committedUnanswered, retriedAcknowledged: retriedAcked, postingsChecked: ops.length })}`,
  );
});

it("two instances, the same commands under the same keys at once: each key posts once, both get the same entry, limits and invariants hold", async () => {
  const ops = [...(await mixedOps("prepaid", 40)), ...(await mixedOps("postpaid", 40))];
  const a = startWorker(ops);
  const b = startWorker([...ops].reverse());
  const [exitA, exitB] = await Promise.all([a.done, b.done]);
  expect([exitA.code, exitB.code]).toEqual([0, 0]);
  const posted = await postingsByKey(ops.map((o) => o.key));
  const byKey = (answers: Answer[]) => new Map(answers.map((x) => [x.key, x]));
  const [fromA, fromB] = [byKey(a.answers), byKey(b.answers)];
  let bothAcked = 0;
  let replays = 0;
  for (const op of ops) {
    const [x, y] = [fromA.get(op.key)!, fromB.get(op.key)!];
    expect(x, op.key).toBeDefined();
    expect(y, op.key).toBeDefined();
    const entries = posted.get(op.key) ?? [];
    if (x.kind === "ack" && y.kind === "ack") {
      bothAcked++;
      expect(entries).toEqual([x.entryId]);
      expect(y.entryId).toBe(x.entryId);
      expect(x.replayed !== y.replayed).toBe(true); // one posted, the other replayed it
      replays++;
    } else {
      expect(entries.length).toBeLessThanOrEqual(1);
      if (x.kind === "ack") expect(entries).toEqual([x.entryId]);
      if (y.kind === "ack") expect(entries).toEqual([y.entryId]);
    }
  }
  expect(await checkInvariants(db())).toEqual([]);
  // The limits refused some (prepaid balance, postpaid limit): the load reached them.
  expect(a.answers.some((x) => x.kind === "refused") || b.answers.some((x) => x.kind === "refused")).toBe(true);
  console.log(
    `faults/two-instances ${JSON.stringify({ commandsSent: ops.length * 2, acknowledgedByBoth: bothAcked, replays, refusedByA: a.answers.filter((x) => x.kind === "refused").length, refusedByB: b.answers.filter((x) => x.kind === "refused").length, postingsChecked: ops.length })}`,
  );
});
