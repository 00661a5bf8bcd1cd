import { afterAll, beforeAll, expect, it } from "vitest";
import type { BuiltApp } from "@/bench/harness";
import { acknowledged, checkBooks, drive, inProgress, refusalCodes, seedLoad, send, startApp, startFaultEnvironment, type Answer, type FaultEnvironment } from "./http-load";

// Two processes of the built app on one database, the mixed HTTP load split
// across them, and a third of it (API commands under the same Idempotency-Key,
// the same Stripe events) sent to both at once: each key and each event posts
// once, both instances tell their clients the same thing, the limits hold.

const CLIENTS = 16;

let env: FaultEnvironment | undefined;
const apps: BuiltApp[] = [];

beforeAll(async () => {
  env = await startFaultEnvironment("instances");
}, 1_200_000);

afterAll(async () => {
  for (const app of apps) await app.stop();
  await env?.stop();
});

it("two instances, the same keys and events sent to both: exactly once, the same answer from both, limits and invariants hold", async () => {
  const { db, appUrl } = env!;
  apps.push(await startApp(appUrl));
  apps.push(await startApp(appUrl));
  // Both listen where LASTMILE_HOST says (127.0.0.1, startBuiltApp), not on the machine's other addresses.
  await expect(fetch(`http://127.0.0.2:${new URL(apps[0]!.url).port}/api/v1/openapi.json`)).rejects.toThrow();
  const [a, b] = apps as [BuiltApp, BuiltApp];
  const { ops } = await seedLoad(db, a.url, { resellers: 6, customersPerReseller: 40, paymentsPerReseller: 4 });

  const told = new Map<number, Answer[]>();
  const both = new Set(ops.filter((op) => op.id % 3 === 0).map((op) => op.id));
  await drive(ops, CLIENTS, async (op) => {
    const targets = both.has(op.id) ? [a, b] : [op.id % 2 === 0 ? a : b];
    const answers = await Promise.all(targets.map((app) => send(app.url, op)));
    told.set(op.id, answers);
    return answers[0]!;
  });

  let replays = 0;
  for (const op of ops) {
    const answers = told.get(op.id)!;
    for (const answer of answers) expect(answer.status > 0 && answer.status < 500, `op ${op.id} (${op.kind}): ${JSON.stringify(answer)}`).toBe(true);
    if (answers.length < 2 || answers.some(inProgress)) continue;
    const [x, y] = answers as [Answer, Answer];
    // Both instances tell their clients the same thing.
    expect(y.status, `op ${op.id} (${op.kind})`).toBe(x.status);
    if (op.kind === "webhook") {
      // One applied the event; the other saw it already recorded (or the payment already credited).
      expect([x.body, y.body].filter((body) => body?.duplicate === true || String(body?.outcome ?? "").startsWith("no change")).length, `op ${op.id}: ${JSON.stringify([x.body, y.body])}`).toBeGreaterThanOrEqual(1);
      replays++;
    } else {
      expect(y.body, `op ${op.id} (${op.kind})`).toEqual(x.body);
      // The second one got the first one's stored answer.
      expect([x.replayed, y.replayed].filter(Boolean), `op ${op.id} (${op.kind})`).toHaveLength(1);
      replays++;
    }
  }
  // Exactly once, the answers name the entries, limits (invariants: prepaid never negative, postpaid within its limit) hold.
  const { postingsChecked, chargedThenSuspended } = await checkBooks(db, ops, told);
  const all = [...told.values()].flat();
  const refusals = refusalCodes(all);
  expect(Object.keys(refusals).some((code) => code === "INSUFFICIENT_BALANCE" || code === "COLLECTION_LIMIT_REACHED"), JSON.stringify(refusals)).toBe(true);

  console.log(
    `faults/two-instances ${JSON.stringify({
      sent: all.length,
      sentToBoth: both.size,
      acknowledged: all.filter(acknowledged).length,
      refused: all.filter((x) => x.status >= 400).length,
      replays,
      refusals,
      chargedThenSuspended,
      postingsChecked,
    })}`,
  );
}, 600_000);
