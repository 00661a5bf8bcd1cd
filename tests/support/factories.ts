import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { areas, customers, packages, resellerAreas, resellerPackageRates, resellers, users } from "@/db/schema";
import type { Actor } from "@/lib/billing";
import { addBalance } from "@/lib/billing";
import { asc, eq, sql } from "drizzle-orm";
import { journalEntries, journalLines, ledgerEntries, subscriptions } from "@/db/schema";
import { DAY_MS } from "@/lib/dates";
import { DomainError } from "@/lib/errors";
import { provisionAll, provisionCustomers, provisionPackage } from "@/lib/radius/provision";

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
  await provisionPackage(db, pkg!.id);
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
  await provisionCustomers(db, { customerId: customer!.id });
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

export { DAY_MS };
/** Now plus `n` days (negative for the past). */
export const daysFromNow = (n: number) => new Date(Date.now() + n * DAY_MS);

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
  const created = await db.insert(customers).values(rows).returning();
  await provisionCustomers(db, { resellerId });
  return created;
}

/**
 * For a test that changes customers, resellers, subscriptions or packages with
 * plain SQL (to set up a state no command would): rewrites the RADIUS rows
 * from the books, as the commands do in their own transactions.
 */
export async function reprovisionRadius(db: Db) {
  await provisionAll(db);
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

/**
 * Posts ledger entries with chosen dates (for statements and date ranges),
 * each with its balanced journal entry and the reseller's new balance, in one
 * transaction holding the reseller row lock, so the money invariants hold.
 * Each charge (activation/renewal) gets its own subscription priced at the charge.
 */
export async function postLedgerEntries(
  db: Db,
  resellerId: string,
  entries: { kind: Exclude<(typeof ledgerEntries.$inferInsert)["kind"], "reversal">; amount: bigint; createdAt: Date; note?: string; customerId?: string }[],
) {
  // Charges need a subscription (invariant charge_has_subscription): one package and, when no
  // customer is given, one customer in a new area serve every charge of this call.
  const charges = entries.filter((e) => e.kind === "activation" || e.kind === "renewal");
  const pkg = charges.length ? await makePackage(db) : undefined;
  const fallbackCustomer = charges.some((e) => !e.customerId) ? await makeCustomer(db, resellerId, (await makeArea(db)).id) : undefined;
  return db.transaction(async (tx) => {
    const [reseller] = await tx.select().from(resellers).where(eq(resellers.id, resellerId)).for("update");
    let balance = reseller!.balance;
    const written: (typeof ledgerEntries.$inferSelect)[] = [];
    for (const e of entries) {
      balance += e.amount;
      let subscriptionId: string | null = null;
      if (e.kind === "activation" || e.kind === "renewal") {
        const [subscription] = await tx
          .insert(subscriptions)
          .values({
            customerId: e.customerId ?? fallbackCustomer!.id,
            resellerId,
            packageId: pkg!.id,
            kind: e.kind,
            startsAt: e.createdAt,
            expiresAt: new Date(e.createdAt.getTime() + 30 * DAY_MS),
            priceCharged: -e.amount,
            customerPrice: -e.amount,
            createdAt: e.createdAt,
          })
          .returning();
        subscriptionId = subscription!.id;
      }
      const [entry] = await tx
        .insert(ledgerEntries)
        .values({
          resellerId,
          kind: e.kind,
          amount: e.amount,
          balanceAfter: balance,
          resellerType: reseller!.type,
          collectionLimit: reseller!.collectionLimit,
          actorLabel: "test",
          note: e.note ?? null,
          customerId: e.customerId ?? (subscriptionId ? fallbackCustomer!.id : null),
          subscriptionId,
          idempotencyKey: randomUUID(),
          createdAt: e.createdAt,
        })
        .returning();
      const [journal] = await tx.insert(journalEntries).values({ ledgerEntryId: entry!.id, memo: `test ${e.kind}` }).returning();
      await tx.insert(journalLines).values([
        { journalEntryId: journal!.id, account: e.amount > 0n ? "cash" : "revenue", amount: e.amount },
        { journalEntryId: journal!.id, account: "reseller_accounts", resellerId, amount: -e.amount },
      ]);
      written.push(entry!);
    }
    await tx.update(resellers).set({ balance }).where(eq(resellers.id, resellerId));
    await provisionCustomers(tx, { resellerId });
    return written;
  });
}
