import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Db, Tx } from "@/db/client";
import { customers, idempotencyKeys, resellers, type Customer, type Reseller } from "@/db/schema";
import { isUniqueViolation } from "@/lib/db-errors";
import { withTransientRetries } from "@/lib/db-retry";
import { DomainError, fieldMessages } from "@/lib/errors";

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

function fingerprint(command: string, payload: unknown): string {
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

async function storeResult(tx: Tx, key: string, command: string, print: string, result: unknown) {
  await tx
    .insert(idempotencyKeys)
    .values({ key, command, fingerprint: print, result: sql`${JSON.stringify(encode(result))}::jsonb` })
    .prepare("billing_store_idempotency_key")
    .execute();
}

/** What every keyed command names: its key (minted when the form rendered), its name, and what it was asked to do. */
export type CommandSpec = { key: string; command: string; payload: unknown };
export type MoneyCommandSpec = CommandSpec & { resellerId: string };

/** The one key check of every keyed command (online payment's start, which calls the gateway outside a transaction, uses it too). */
export function assertIdempotencyKey(key: string): void {
  if (!key || key.length > 200) throw new DomainError("VALIDATION_FAILED", fieldMessages.idempotencyKey);
}

/**
 * The runner both kinds share: one transaction that takes the kind's lock,
 * looks the key up under it (its own statement, so it sees whatever the
 * previous holder committed: a repeat waits for the first call, then replays
 * it), runs the body and stores its result with the key, committed together.
 * A key raced past the lock (another reseller's row) hits the unique index and
 * replays the winner. The result is stored as typed JSON (see `encode`), so a
 * replay looks exactly like the first result, marked `replayed: true`.
 * Given an open transaction (the webhook's), it runs as a savepoint inside it.
 * A serialization failure, a deadlock or a lost connection runs the whole
 * transaction again with the same key (withTransientRetries): if the lost
 * connection had already committed it, the key is found and replayed.
 */
async function runKeyed<T, L>(
  db: Db | Tx,
  spec: CommandSpec,
  lock: (tx: Tx) => Promise<L>,
  body: (tx: Tx, locked: L) => Promise<T>,
): Promise<T & { replayed: boolean }> {
  assertIdempotencyKey(spec.key);
  const print = fingerprint(spec.command, spec.payload);
  return withTransientRetries(db, async () => {
    try {
      return await db.transaction(async (tx) => {
        const locked = await lock(tx);
        const earlier = await findStored(tx, spec.key);
        if (earlier) return replay<T>(earlier, spec.command, print);
        const result = await body(tx, locked);
        await storeResult(tx, spec.key, spec.command, print, result);
        return { ...result, replayed: false };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        const winner = await findStored(db, spec.key);
        if (winner) return replay<T>(winner, spec.command, print);
      }
      throw error;
    }
  });
}

/**
 * A money command (a charge, a credit, a reversal, the reseller's terms),
 * once per key, with the reseller row locked FOR UPDATE for the whole
 * transaction: the body gets the locked row and checks the rule against it.
 *
 * The hot-path queries of the money commands run as prepared statements
 * (`.prepare(name).execute()`): Drizzle otherwise sends every parameterised
 * query unprepared, which postgres.js answers with a describe round trip
 * before the execute one. The name is only a label; values are bound per call.
 */
export function runMoneyCommand<T>(
  db: Db | Tx,
  spec: MoneyCommandSpec,
  body: (tx: Tx, reseller: Reseller) => Promise<T>,
): Promise<T & { replayed: boolean }> {
  const { resellerId, ...keyed } = spec;
  return runKeyed(db, keyed, (tx) => lockReseller(tx, resellerId), body);
}

async function lockReseller(tx: Tx, resellerId: string): Promise<Reseller> {
  const [reseller] = await tx
    .select()
    .from(resellers)
    .where(eq(resellers.id, resellerId))
    .for("update")
    .prepare("billing_lock_reseller")
    .execute();
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  return reseller;
}

/**
 * The customer row of a command that changes a customer (edit, suspend,
 * reactivate, new service password), locked FOR UPDATE in the one lock order
 * of every command that touches a reseller and one of its customers: the
 * reseller row first, then the customer row. Money commands hold the reseller
 * row FOR UPDATE already (runMoneyCommand) and lock the customer after it
 * (lockCustomerOfLockedReseller); a customer command takes the reseller row FOR
 * KEY SHARE first (the lock its audit row's foreign key takes anyway, but
 * taken before the customer's, not after it), so it queues behind a charge in
 * progress instead of deadlocking with it, and a charge that starts after it
 * waits for it and sees what it committed. Customer commands of one reseller
 * still run side by side (KEY SHARE does not conflict with itself).
 * Another reseller's customer is CUSTOMER_NOT_FOUND.
 */
export async function lockCustomerForCommand(tx: Tx, resellerId: string, customerId: string): Promise<Customer> {
  await tx.select({ id: resellers.id }).from(resellers).where(eq(resellers.id, resellerId)).for("key share").prepare("billing_reseller_key_share").execute();
  return lockCustomerOfLockedReseller(tx, resellerId, customerId);
}

/** The customer row, FOR UPDATE, under a reseller row the transaction already holds (a money command's); CUSTOMER_NOT_FOUND if not that reseller's. */
export async function lockCustomerOfLockedReseller(tx: Tx, resellerId: string, customerId: string): Promise<Customer> {
  const [customer] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.resellerId, resellerId)))
    .for("update")
    .prepare("billing_lock_customer")
    .execute();
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
  return customer;
}

/**
 * A create (a reseller, a package, a customer, a payment collected from a
 * customer), once per key: it moves no reseller's money, so it takes no
 * reseller lock; the key itself is locked for the transaction (advisory lock)
 * and a repeat waits for the first call and replays its stored result. Leave
 * secrets such as passwords out of `payload`: it is fingerprinted and kept.
 */
export function runCreate<T>(db: Db, spec: CommandSpec, body: (tx: Tx) => Promise<T>): Promise<T & { replayed: boolean }> {
  return runKeyed(db, spec, (tx) => tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${spec.key}, 0))`), (tx) => body(tx));
}
