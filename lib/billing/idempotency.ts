import { createHash } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { idempotencyKeys, resellers, type Reseller } from "@/db/schema";
import { DomainError } from "../errors";

/**
 * JSON that keeps the result's types, so a replay looks exactly like the first
 * result: bigints are stored as {"$bigint": "123"}, dates as {"$date": "…Z"}.
 */
function encode(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
      // `v` has already been through Date#toJSON; the holder still has the Date.
      const raw = this[key];
      if (raw instanceof Date) return { $date: raw.toISOString() };
      return typeof v === "bigint" ? { $bigint: v.toString() } : v;
    }),
  );
}
function decode<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value), (_key, v) => {
    if (!v || typeof v !== "object" || Object.keys(v).length !== 1) return v;
    if (typeof v.$bigint === "string") return BigInt(v.$bigint);
    if (typeof v.$date === "string") return new Date(v.$date);
    return v;
  }) as T;
}

export function fingerprint(command: string, payload: unknown): string {
  const canonical = JSON.stringify(encode(payload), (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
  return createHash("sha256").update(command).update("\0").update(canonical).digest("hex");
}

type Stored = { command: string; fingerprint: string; result: unknown };

function replay<T>(stored: Stored, command: string, print: string): T & { replayed: true } {
  if (stored.command !== command || stored.fingerprint !== print) throw new DomainError("IDEMPOTENCY_CONFLICT");
  return { ...decode<T>(stored.result), replayed: true };
}

async function findStored(db: Db | Tx, key: string): Promise<Stored | undefined> {
  const [row] = await db
    .select({ command: idempotencyKeys.command, fingerprint: idempotencyKeys.fingerprint, result: idempotencyKeys.result })
    .from(idempotencyKeys)
    .where(eq(idempotencyKeys.key, key))
    .prepare("billing_find_idempotency_key")
    .execute();
  return row;
}

function violatedConstraint(error: unknown): string | undefined {
  const cause = (error as { cause?: { constraint_name?: string } })?.cause ?? error;
  return (cause as { constraint_name?: string })?.constraint_name;
}

function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause ?? error;
  return (cause as { code?: string })?.code === "23505";
}

export type CommandSpec = { key: string; command: string; payload: unknown; resellerId: string };

function assertKey(key: string) {
  if (!key || key.length > 200) throw new DomainError("VALIDATION_FAILED", "A valid idempotency key is required.");
}

async function storeResult(tx: Tx, key: string, command: string, print: string, result: unknown) {
  await tx
    .insert(idempotencyKeys)
    .values({ key, command, fingerprint: print, result: sql`${JSON.stringify(encode(result))}::jsonb` })
    .prepare("billing_store_idempotency_key")
    .execute();
}

/**
 * Runs a command that belongs to no reseller yet (creating a reseller, a
 * package) exactly once per idempotency key: the key is locked for the
 * transaction (advisory lock), a repeat waits for the first call and replays
 * its stored result. Leave secrets such as passwords out of `payload`: it is
 * fingerprinted and kept.
 */
export async function runOnce<T>(db: Db, spec: Omit<CommandSpec, "resellerId">, body: (tx: Tx) => Promise<T>): Promise<T & { replayed: boolean }> {
  assertKey(spec.key);
  const print = fingerprint(spec.command, spec.payload);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${spec.key}, 0))`);
    const earlier = await findStored(tx, spec.key);
    if (earlier) return replay<T>(earlier, spec.command, print);
    const result = await body(tx);
    await storeResult(tx, spec.key, spec.command, print, result);
    return { ...result, replayed: false };
  });
}

/**
 * Runs one money command exactly once per idempotency key:
 * one transaction, reseller row locked FOR UPDATE, key looked up under the
 * lock, the body's writes and the stored result committed together. A key
 * raced on another reseller's lock hits the unique index and replays the winner.
 *
 * The hot-path queries of the money commands run as prepared statements
 * (`.prepare(name).execute()`): Drizzle otherwise sends every parameterised
 * query unprepared, which postgres.js answers with a describe round trip
 * before the execute one. The name is only a label; values are bound per call.
 * Given an open transaction (the webhook's), it runs as a savepoint inside it.
 */
export async function runLockedCommand<T>(
  db: Db | Tx,
  spec: CommandSpec,
  body: (tx: Tx, reseller: Reseller) => Promise<T>,
): Promise<T & { replayed: boolean }> {
  assertKey(spec.key);
  const print = fingerprint(spec.command, spec.payload);
  try {
    return await db.transaction(async (tx) => {
      const [reseller] = await tx
        .select()
        .from(resellers)
        .where(eq(resellers.id, spec.resellerId))
        .for("update")
        .prepare("billing_lock_reseller")
        .execute();
      if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
      // Looked up only under the lock (its own statement, so it sees whatever the
      // previous holder committed): a repeat waits for the first call, then replays it.
      const earlier = await findStored(tx, spec.key);
      if (earlier) return replay<T>(earlier, spec.command, print);
      const result = await body(tx, reseller);
      await storeResult(tx, spec.key, spec.command, print, result);
      return { ...result, replayed: false };
    });
  } catch (error) {
    // The same key raced on another reseller's lock: the winner's result stands.
    if (isUniqueViolation(error)) {
      const winner = await findStored(db, spec.key);
      if (winner) return replay<T>(winner, spec.command, print);
      // Another key already settled this gateway payment: it is credited once.
      if (violatedConstraint(error) === "ledger_entries_one_credit_per_payment") throw new DomainError("PAYMENT_ALREADY_SETTLED");
    }
    throw error;
  }
}
