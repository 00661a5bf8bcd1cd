import { randomUUID } from "node:crypto";
import type { Db } from "@/db/client";
import { areas, customers, packages, resellerAreas, resellerPackageRates, resellers, users } from "@/db/schema";
import type { Actor } from "@/lib/billing";
import { addBalance } from "@/lib/billing";

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
