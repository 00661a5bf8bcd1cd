import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { areas, customers, packages, resellerAreas, resellerPackageRates, resellers, users } from "@/db/schema";
import type { Actor } from "@/lib/billing";
import { addBalance } from "@/lib/billing";
import { asc, eq, sql } from "drizzle-orm";
import { ledgerEntries, subscriptions } from "@/db/schema";
import { DomainError } from "@/lib/errors";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${randomUUID().slice(0, 8)}`;

export const adminActor: Actor = { userId: null, label: "test admin", role: "admin" };
export const resellerActor = (resellerId: string): Actor => ({ userId: null, label: "test reseller", role: "reseller", resellerId });

export async function makeArea(db: Db, name = unique("Area")) {
  const [area] = await db.insert(areas).values({ name }).returning();
  return area!;
}

export async function makePackage(db: Db, overrides: Partial<typeof packages.$inferInsert> = {}) {
  const [pkg] = await db
    .insert(packages)
    .values({ name: unique("Package"), customerPrice: 2_000n, validityDays: 30, downloadMbps: 20, uploadMbps: 10, ...overrides })
    .returning();
  return pkg!;
}

type ResellerSetup = Partial<typeof resellers.$inferInsert> & {
  /** Packages in scope with the reseller's rate. */
  rates?: { packageId: string; rate: bigint }[];
  areaIds?: string[];
  /** Opening prepaid balance, credited through Add Balance so the ledger agrees. */
  openingBalance?: bigint;
};

export async function makeReseller(db: Db, { rates = [], areaIds = [], openingBalance, ...overrides }: ResellerSetup = {}) {
  const [reseller] = await db
    .insert(resellers)
    .values({ name: unique("Reseller"), type: "prepaid", currency: "USD", ...overrides, balance: 0n })
    .returning();
  if (rates.length) await db.insert(resellerPackageRates).values(rates.map((r) => ({ resellerId: reseller!.id, ...r })));
  if (areaIds.length) await db.insert(resellerAreas).values(areaIds.map((areaId) => ({ resellerId: reseller!.id, areaId })));
  if (openingBalance) {
    await addBalance(db, adminActor, { resellerId: reseller!.id, amount: openingBalance, method: "cash", idempotencyKey: randomUUID() });
  }
  return { ...reseller!, balance: openingBalance ?? 0n };
}

export async function makeCustomer(db: Db, resellerId: string, areaId: string, overrides: Partial<typeof customers.$inferInsert> = {}) {
  const username = unique("user");
  const [customer] = await db
    .insert(customers)
    .values({ resellerId, areaId, username, name: `Customer ${username}`, ...overrides })
    .returning();
  return customer!;
}

export async function makeUser(db: Db, overrides: Partial<typeof users.$inferInsert> & Pick<typeof users.$inferInsert, "role">) {
  const [user] = await db
    .insert(users)
    .values({ email: `${unique("user")}@example.test`, name: "Test User", passwordHash: "not-a-real-hash", ...overrides })
    .returning();
  return user!;
}

/** A prepaid or postpaid reseller with one package in scope and one area, ready to charge. */
export async function makeChargeableReseller(db: Db, options: { rate: bigint; type?: "prepaid" | "postpaid"; openingBalance?: bigint; collectionLimit?: bigint }) {
  const area = await makeArea(db);
  const pkg = await makePackage(db);
  const reseller = await makeReseller(db, {
    type: options.type ?? "prepaid",
    collectionLimit: options.collectionLimit ?? 0n,
    rates: [{ packageId: pkg.id, rate: options.rate }],
    areaIds: [area.id],
    openingBalance: options.openingBalance,
  });
  return { reseller, pkg, area };
}

/** A fresh idempotency key, as a form would mint when it renders. */
export const newKey = () => randomUUID();

/**
 * The DomainError code a command was refused with. Anything else (success,
 * or another kind of error) comes back as a description, so an assertion on
 * the code fails with a readable message.
 */
export async function failureCode(command: Promise<unknown>): Promise<string> {
  try {
    await command;
    return "(succeeded)";
  } catch (error) {
    return error instanceof DomainError ? error.code : `(not a DomainError: ${String(error)})`;
  }
}

/** `count` customers of one reseller in one insert (for the concurrency tests). */
export async function makeCustomers(db: Db, resellerId: string, areaId: string, count: number) {
  const rows = Array.from({ length: count }, () => {
    const username = unique("user");
    return { resellerId, areaId, username, name: `Customer ${username}` };
  });
  return db.insert(customers).values(rows).returning();
}

/** The reseller row as stored now. */
export async function loadReseller(db: Db, resellerId: string) {
  const [row] = await db.select().from(resellers).where(eq(resellers.id, resellerId));
  return row!;
}

/** The customer row as stored now. */
export async function loadCustomer(db: Db, customerId: string) {
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId));
  return row!;
}

/** A reseller's ledger, oldest entry first. */
export async function ledgerOf(db: Db, resellerId: string) {
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.resellerId, resellerId)).orderBy(asc(ledgerEntries.id));
}

/** A customer's subscriptions, oldest first. */
export async function subscriptionsOf(db: Db, customerId: string) {
  return db.select().from(subscriptions).where(eq(subscriptions.customerId, customerId)).orderBy(asc(subscriptions.createdAt), asc(subscriptions.startsAt));
}

/**
 * Everything a money command can write, counted for one reseller, so a test
 * can assert that a refused command posted nothing at all.
 */
export async function bookState(db: Db, resellerId: string) {
  const [row] = (await db.execute(sql`select
      (select balance from resellers where id = ${resellerId}) as balance,
      (select count(*)::int from ledger_entries where reseller_id = ${resellerId}) as ledger_entries,
      (select count(*)::int from journal_lines where journal_entry_id in
        (select je.id from journal_entries je join ledger_entries l on l.id = je.ledger_entry_id where l.reseller_id = ${resellerId})) as journal_lines,
      (select count(*)::int from subscriptions where reseller_id = ${resellerId}) as subscriptions,
      (select count(*)::int from audit_log where reseller_id = ${resellerId}) as audit_rows,
      (select count(*)::int from idempotency_keys) as idempotency_keys,
      (select coalesce(json_agg(expires_at order by id), '[]') from customers where reseller_id = ${resellerId}) as customer_expiries`)) as unknown as Record<string, unknown>[];
  return row!;
}
