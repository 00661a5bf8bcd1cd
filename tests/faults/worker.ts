// One "instance" of Lastmile's command path for the fault suites: reads a JSON
// list of commands on stdin, runs them through lib on its own pool
// (DATABASE_URL) with a few at a time, and prints one line per answer:
// `ack <key> <entryId> <replayed>` or `refused <key> <code>`.
import { connect } from "@/db/client";
import { activateSubscription, addBalance } from "@/lib/billing";
import { isDomainError } from "@/lib/errors";

export type WorkerOp =
  | { kind: "activate"; key: string; resellerId: string; customerId: string; packageId: string }
  | { kind: "addBalance"; key: string; resellerId: string; amount: string };

const actorFor = (op: WorkerOp) =>
  op.kind === "addBalance" ? { userId: null, label: "fault worker", role: "admin" as const } : { userId: null, label: "fault worker", role: "reseller" as const, resellerId: op.resellerId };

async function main() {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const ops = JSON.parse(Buffer.concat(chunks).toString("utf8")) as WorkerOp[];
  const { db, close } = connect(process.env.DATABASE_URL!, { max: 8 });
  let next = 0;
  async function lane() {
    while (next < ops.length) {
      const op = ops[next++]!;
      try {
        const result =
          op.kind === "activate"
            ? await activateSubscription(db, actorFor(op), { resellerId: op.resellerId, customerId: op.customerId, packageId: op.packageId, idempotencyKey: op.key })
            : await addBalance(db, actorFor(op), { resellerId: op.resellerId, amount: BigInt(op.amount), method: "cash", idempotencyKey: op.key });
        process.stdout.write(`ack ${op.key} ${result.entry.id} ${result.replayed}\n`);
      } catch (error) {
        process.stdout.write(`refused ${op.key} ${isDomainError(error) ? error.code : "INTERNAL"}\n`);
        if (!isDomainError(error)) console.error(error);
      }
    }
  }
  await Promise.all(Array.from({ length: 6 }, lane));
  await close();
}

void main();
