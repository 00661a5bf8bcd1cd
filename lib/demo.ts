import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { areas, customers, packages, resellerAreas, resellerPackageRates, resellers, users } from "@/db/schema";
import { hashPassword } from "./auth/password";
import { activateSubscription, addBalance, recordCashReceived, renewSubscription, type Actor } from "./billing";
import { installCurrency } from "./config";
import { allPermissions } from "./permissions";

export const demoLogins = [
  { role: "admin", email: "admin@example.com", password: "admin-demo-pass" },
  { role: "reseller (prepaid)", email: "prepaid@example.com", password: "reseller-demo-pass" },
  { role: "reseller (postpaid)", email: "postpaid@example.com", password: "reseller-demo-pass" },
] as const;

const areaNames = ["Downtown", "Riverside", "North Hills", "Old Market", "Airport Road"];
const packageSpecs = [
  { name: "Home 10", customerPrice: 1500n, validityDays: 30, downloadMbps: 10, uploadMbps: 5 },
  { name: "Home 25", customerPrice: 2500n, validityDays: 30, downloadMbps: 25, uploadMbps: 10 },
  { name: "Home 50", customerPrice: 4000n, validityDays: 30, downloadMbps: 50, uploadMbps: 20 },
  { name: "Business 100", customerPrice: 9000n, validityDays: 30, downloadMbps: 100, uploadMbps: 50 },
  { name: "Weekly 15", customerPrice: 500n, validityDays: 7, downloadMbps: 15, uploadMbps: 5 },
];
const firstNames = ["Amina", "Rahim", "Lena", "Tomas", "Priya", "Kofi", "Sara", "Yusuf", "Mei", "Diego", "Nadia", "Omar", "Ivy"];
const lastNames = ["Hossain", "Okafor", "Silva", "Novak", "Rahman", "Mensah", "Costa", "Ahmed", "Chen", "Garcia"];

/** Whether the database already holds users (demo or real): then seeding is skipped. */
export async function hasData(db: Db): Promise<boolean> {
  const rows = await db.execute(sql`select exists(select 1 from users) as present`);
  return Boolean((rows as unknown as { present: boolean }[])[0]?.present);
}

/**
 * Demo data: areas, packages, an admin, a prepaid and a postpaid reseller
 * with rates, ~25 customers each and some billing history, all posted
 * through the real billing commands so the books are consistent.
 */
export async function seedDemo(db: Db): Promise<void> {
  // All or nothing: a failure leaves an empty database, so the next start seeds again.
  await db.transaction((tx) => seedInto(tx as unknown as Db));
}

async function seedInto(db: Db): Promise<void> {
  const currency = installCurrency();
  const admin: Actor = { userId: null, label: "demo seed", role: "admin" };
  const areaRows = await db.insert(areas).values(areaNames.map((name) => ({ name }))).returning();
  const packageRows = await db.insert(packages).values(packageSpecs).returning();
  const [adminHash, resellerHash] = await Promise.all([hashPassword("admin-demo-pass"), hashPassword("reseller-demo-pass")]);
  await db.insert(users).values({ email: "admin@example.com", name: "Demo Admin", passwordHash: adminHash, role: "admin" });

  const setups = [
    { email: "prepaid@example.com", name: "FastNet Prepaid", contact: "Rafi Karim", type: "prepaid" as const, limit: 0n, areaSlice: [0, 3] },
    { email: "postpaid@example.com", name: "CityLink Postpaid", contact: "Maya Torres", type: "postpaid" as const, limit: 100_000n, areaSlice: [2, 5] },
  ];
  for (const [index, setup] of setups.entries()) {
    const [reseller] = await db
      .insert(resellers)
      .values({
        name: setup.name,
        contactName: setup.contact,
        phone: `+1 555 010${index}`,
        email: setup.email,
        type: setup.type,
        collectionLimit: setup.limit,
        currency,
        permissions: allPermissions,
      })
      .returning();
    const resellerId = reseller!.id;
    await db.insert(users).values({ email: setup.email, name: setup.contact, passwordHash: resellerHash, role: "reseller", resellerId });
    const served = areaRows.slice(setup.areaSlice[0], setup.areaSlice[1]);
    await db.insert(resellerAreas).values(served.map((a) => ({ resellerId, areaId: a.id })));
    // Resellers buy at 80% of the customer price, rounded down to whole minor units.
    await db
      .insert(resellerPackageRates)
      .values(packageRows.map((p) => ({ resellerId, packageId: p.id, rate: (p.customerPrice * 80n) / 100n })));
    if (setup.type === "prepaid") {
      await addBalance(db, admin, { resellerId, amount: 100_000n, method: "bank_transfer", reference: "DEMO-OPENING", note: "Opening balance", idempotencyKey: randomUUID() });
    }
    const self: Actor = { userId: null, label: setup.contact, role: "reseller", resellerId };
    for (let n = 0; n < 25; n++) {
      const first = firstNames[(n + index * 5) % firstNames.length]!;
      const last = lastNames[(n * 3 + index) % lastNames.length]!;
      const [customer] = await db
        .insert(customers)
        .values({
          resellerId,
          areaId: served[n % served.length]!.id,
          username: `${setup.type === "prepaid" ? "fn" : "cl"}${String(n + 1).padStart(3, "0")}`,
          name: `${first} ${last}`,
          phone: `+1 555 ${String(2000 + n * 37 + index).padStart(4, "0")}`,
          address: `${10 + n} ${served[n % served.length]!.name} Street`,
          status: n === 24 ? "suspended" : "active",
        })
        .returning();
      if (n >= 20) continue; // a few customers never activated
      const pkg = packageRows[n % packageRows.length]!;
      const activated = await activateSubscription(db, self, { resellerId, customerId: customer!.id, packageId: pkg.id, idempotencyKey: randomUUID() });
      if (n % 4 === 0) {
        await renewSubscription(db, self, { resellerId, subscriptionId: activated.subscription.id, idempotencyKey: randomUUID() });
      }
    }
    if (setup.type === "postpaid") {
      await recordCashReceived(db, admin, { resellerId, amount: 20_000n, method: "cash", source: "reseller_action", reference: "DEMO-RCPT-1", note: "Weekly settlement", idempotencyKey: randomUUID() });
    }
  }
}
