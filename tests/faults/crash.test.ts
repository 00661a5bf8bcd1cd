import { afterAll, beforeAll, expect, it } from "vitest";
import type { BuiltApp } from "@/bench/harness";
import { acknowledged, checkBooks, drive, isMoney, ledgerKeyOf, postingsByKey, refusalCodes, seedLoad, send, sendUntilAnswered, startApp, startFaultEnvironment, type Answer, type FaultEnvironment } from "./http-load";

// The built app killed with SIGKILL in the middle of a mixed HTTP load (REST
// API and the Stripe webhook, sixteen concurrent clients), then started again
// on the same database: what each client was told must match the books, and
// the clients' retries under the same keys must post nothing twice.

const CLIENTS = 16;
/** The kill lands once this share of the load is acknowledged, with at least MIN_IN_FLIGHT requests sent and unanswered. */
const KILL_AT_SHARE = 0.35;
const MIN_IN_FLIGHT = 8;
/** Long enough for a claim left by the killed process to be taken over (lib/api/idempotency ABANDONED_AFTER_SECONDS is 60). */
const RETRY_FOR_MS = 180_000;

let env: FaultEnvironment | undefined;
let app: BuiltApp | undefined;

beforeAll(async () => {
  env = await startFaultEnvironment("crash");
}, 1_200_000);

afterAll(async () => {
  await app?.stop();
  await env?.stop();
});

it("SIGKILL mid-load: every acknowledged command is in the ledger once; the unanswered, retried with their keys, post at most once; invariants sound", async () => {
  const { db, appUrl } = env!;
  app = await startApp(appUrl);
  const { ops } = await seedLoad(db, app.url, { resellers: 6, customersPerReseller: 40, paymentsPerReseller: 4 });
  const killAfter = Math.floor(ops.length * KILL_AT_SHARE);

  // The load, and the kill once enough is acknowledged while requests are in flight.
  const first = app;
  let acks = 0;
  let killed: Promise<void> | undefined;
  let inFlightAtKill = 0;
  const answers = await drive(ops, CLIENTS, (op) => send(first.url, op), (_op, answer, load) => {
    if (acknowledged(answer)) acks++;
    if (!killed && acks >= killAfter && load.inFlight >= MIN_IN_FLIGHT) {
      inFlightAtKill = load.inFlight;
      load.stop();
      killed = first.kill();
    }
  });
  expect(killed, "the kill never came: the load finished first").toBeDefined();
  await killed;
  expect(first.child.signalCode).toBe("SIGKILL");

  const acked = ops.filter((op) => acknowledged(answers.get(op.id)));
  const refused = ops.filter((op) => (answers.get(op.id)?.status ?? 0) >= 400 && answers.get(op.id)!.status < 500);
  const unanswered = ops.filter((op) => answers.has(op.id) && (answers.get(op.id)!.status === 0 || answers.get(op.id)!.status >= 500));
  const unsent = ops.filter((op) => !answers.has(op.id));
  // The kill cut requests off: some were sent and never answered.
  expect(unanswered.length).toBeGreaterThan(0);
  expect(acked.length + refused.length + unanswered.length + unsent.length).toBe(ops.length);

  // Before any retry: what was acknowledged is posted once, what was refused is not.
  const told = new Map<number, Answer[]>([...answers].map(([id, answer]) => [id, [answer]]));
  await checkBooks(db, ops, told);
  const postedBefore = await postingsByKey(db, unanswered.filter((op) => isMoney(op) || op.kind === "webhook").map(ledgerKeyOf));
  const committedButUnanswered = unanswered.filter((op) => (isMoney(op) || op.kind === "webhook") && postedBefore.has(ledgerKeyOf(op))).length;

  // Started again on the same database; the clients retry what they were not told (same keys, same events), then send the rest.
  app = await startApp(appUrl);
  const second = app;
  const deadline = Date.now() + RETRY_FOR_MS;
  // Each unanswered request's client retries on its own (a claim left by the killed process answers 409 until it is abandoned) while the others carry on with the rest.
  const [retriedAnswers, restAnswers] = await Promise.all([
    drive(unanswered, unanswered.length, (op) => sendUntilAnswered(second.url, op, deadline)),
    drive(unsent, CLIENTS, (op) => sendUntilAnswered(second.url, op, deadline)),
  ]);
  const retried = new Map([...retriedAnswers, ...restAnswers]);
  for (const [id, answer] of retried) told.set(id, [...(told.get(id) ?? []), answer]);
  for (const op of ops) {
    const last = told.get(op.id)?.at(-1);
    expect(last && last.status > 0 && last.status < 500, `op ${op.id} (${op.kind}) has a final answer: ${JSON.stringify(last)}`).toBe(true);
  }
  // A command that committed before the kill replays its entry on the retry (checkBooks: every acknowledgement names the one entry).
  const { postingsChecked, chargedThenSuspended } = await checkBooks(db, ops, told);
  const finalRefusals = refusalCodes([...told.values()].map((list) => list.at(-1)!));
  expect(Object.keys(finalRefusals).some((code) => code === "INSUFFICIENT_BALANCE" || code === "COLLECTION_LIMIT_REACHED"), JSON.stringify(finalRefusals)).toBe(true);

  const afterRestart = [...retried.values()];
  console.log(
    `faults/crash ${JSON.stringify({
      beforeKill: { sent: ops.length - unsent.length, acknowledged: acked.length, refused: refused.length, unanswered: unanswered.length, committedButUnanswered },
      inFlightAtKill,
      afterRestart: {
        sent: afterRestart.length,
        retried: unanswered.length,
        retriedAcknowledged: unanswered.filter((op) => acknowledged(told.get(op.id)!.at(-1))).length,
        acknowledged: afterRestart.filter(acknowledged).length,
        refused: afterRestart.filter((x) => x.status >= 400).length,
      },
      refusals: finalRefusals,
      chargedThenSuspended,
      postingsChecked,
    })}`,
  );
}, 600_000);
