import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ledgerEntries, resellers, users } from "@/db/schema";
import { runGuarded } from "@/lib/auth/guard";
import { hashPassword } from "@/lib/auth/password";
import { loadSessionUser } from "@/lib/auth/session-user";
import { accountDelaySeconds, authenticate, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, MAX_FAILURES_PER_ADDRESS } from "@/lib/auth/sign-in";
import { activateSubscription, addBalance } from "@/lib/billing";
import { isDomainError } from "@/lib/errors";
import { makeChargeableReseller, makeCustomer, makeUser, reprovisionRadius } from "../support/factories";
import { testDb } from "../support/fresh-database";

const activateSchema = z.object({ customerId: z.string().uuid(), packageId: z.string().uuid(), idempotencyKey: z.string().uuid() });

async function setup() {
  const { db } = testDb();
  const mine = await makeChargeableReseller(db, { rate: 1000n, openingBalance: 10_000n });
  const other = await makeChargeableReseller(db, { rate: 1000n, openingBalance: 10_000n });
  await db.update(resellers).set({ permissions: ["subscriptions.activate", "customers.view"] }).where(eq(resellers.id, mine.reseller.id));
  const resellerUser = await makeUser(db, { role: "reseller", resellerId: mine.reseller.id });
  const adminUser = await makeUser(db, { role: "admin" });
  const otherCustomer = await makeCustomer(db, other.reseller.id, other.area.id);
  const ownCustomer = await makeCustomer(db, mine.reseller.id, mine.area.id);
  return { db, mine, other, resellerUser, adminUser, otherCustomer, ownCustomer };
}

async function ledgerCount(db: ReturnType<typeof testDb>["db"]) {
  return (await db.select().from(ledgerEntries)).length;
}

/** The portal's activate command as its server action runs it. */
function activateAs(user: Awaited<ReturnType<typeof loadSessionUser>>, raw: Record<string, string>) {
  const { db } = testDb();
  return runGuarded(user, { role: "reseller", permission: "subscriptions.activate" }, activateSchema, raw, (input, ctx) =>
    activateSubscription(db, ctx.actor, { ...input, resellerId: ctx.resellerId! }),
  );
}

describe("the command guard", () => {
  it("runs an allowed command for the signed-in reseller", async () => {
    const { db, mine, resellerUser, ownCustomer } = await setup();
    const user = await loadSessionUser(db, resellerUser.id);
    const result = await activateAs(user, { customerId: ownCustomer.id, packageId: mine.pkg.id, idempotencyKey: randomUUID() });
    expect(result.ok).toBe(true);
  });

  it("refuses signed-out, wrong role, missing permission and another reseller's id, changing nothing", async () => {
    const { db, mine, resellerUser, adminUser, otherCustomer, ownCustomer } = await setup();
    const before = await ledgerCount(db);
    const reseller = await loadSessionUser(db, resellerUser.id);
    const admin = await loadSessionUser(db, adminUser.id);
    const valid = { customerId: ownCustomer.id, packageId: mine.pkg.id, idempotencyKey: randomUUID() };

    expect(await activateAs(null, valid)).toMatchObject({ ok: false, error: { code: "UNAUTHENTICATED" } });
    expect(await activateAs(admin, valid)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    const withoutPermission = { ...reseller!, permissions: reseller!.permissions.filter((p) => p !== "subscriptions.activate") };
    expect(await activateAs(withoutPermission, valid)).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await activateAs(reseller, { ...valid, customerId: otherCustomer.id })).toMatchObject({ ok: false, error: { code: "CUSTOMER_NOT_FOUND" } });
    expect(await activateAs(reseller, { ...valid, customerId: "not-an-id" })).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED", fields: { customerId: expect.any(String) } } });
    expect(await ledgerCount(db)).toBe(before);
  });

  it("a reseller actor cannot post for another reseller even if lib is called directly", async () => {
    const { db, other, resellerUser } = await setup();
    const reseller = await loadSessionUser(db, resellerUser.id);
    const result = await runGuarded(reseller, { role: "reseller", permission: "subscriptions.activate" }, z.object({}), {}, (_input, ctx) =>
      addBalance(db, ctx.actor, { resellerId: other.reseller.id, amount: 100n, method: "cash", idempotencyKey: randomUUID() }),
    );
    expect(result).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });

  it("a disabled user or a suspended reseller's user has no session", async () => {
    const { db, mine, resellerUser, adminUser } = await setup();
    await db.update(users).set({ disabled: true }).where(eq(users.id, adminUser.id));
    expect(await loadSessionUser(db, adminUser.id)).toBeNull();
    expect(await loadSessionUser(db, resellerUser.id)).not.toBeNull();
    await db.update(resellers).set({ status: "suspended" }).where(eq(resellers.id, mine.reseller.id));
    await reprovisionRadius(db); // the RADIUS rows follow, as the commands keep them
    expect(await loadSessionUser(db, resellerUser.id)).toBeNull();
  });
});

describe("sign-in", () => {
  async function userWithPassword(password: string) {
    const { db } = testDb();
    return makeUser(db, { role: "admin", passwordHash: await hashPassword(password) });
  }

  it("accepts the right password, case-insensitive email, and refuses a wrong one the same way as an unknown email", async () => {
    const { db } = testDb();
    const user = await userWithPassword("correct horse");
    expect(await authenticate(db, { email: user.email.toUpperCase(), password: "correct horse", ipAddress: "10.0.0.1" })).toMatchObject({ id: user.id });
    expect(await authenticate(db, { email: user.email, password: "wrong", ipAddress: "10.0.0.1" })).toBeNull();
    expect(await authenticate(db, { email: "nobody@example.test", password: "wrong", ipAddress: "10.0.0.1" })).toBeNull();
  });

  const attempt = (email: string, password: string, ipAddress: string) =>
    authenticate(testDb().db, { email, password, ipAddress }).catch((error) => (isDomainError(error, "RATE_LIMITED") ? "RATE_LIMITED" : Promise.reject(error)));
  /** Moves every recorded attempt `seconds` into the past, as if that much time had gone by. */
  const timePasses = (seconds: number) => testDb().db.execute(sql`update sign_in_attempts set created_at = created_at - make_interval(secs => ${seconds})`);

  it("refuses one account from one address after 5 failures, while the account's owner elsewhere only waits a moment; all audited", async () => {
    const { db } = testDb();
    const user = await userWithPassword("correct horse");
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS; i++) expect(await attempt(user.email, `guess ${i}`, "10.0.1.1")).toBeNull();
    // Right after the fifth failure the account asks for a second's wait, from anywhere.
    expect(await attempt(user.email, "correct horse", "10.0.2.1")).toBe("RATE_LIMITED");
    await timePasses(2);
    expect(await attempt(user.email, "correct horse", "10.0.1.1")).toBe("RATE_LIMITED"); // that pair stays refused for the window
    expect(await attempt(user.email, "correct horse", "10.0.2.1")).toMatchObject({ id: user.id });
    const audit = await db.execute(sql`select action from audit_log where actor_label = ${user.email.toLowerCase()} order by id`);
    const actions = (audit as unknown as { action: string }[]).map((r) => r.action);
    expect(actions.filter((a) => a === "auth.sign_in_failed")).toHaveLength(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
    expect(actions.filter((a) => a === "auth.sign_in_rate_limited")).toHaveLength(2);
    expect(actions.at(-1)).toBe("auth.sign_in");
  });

  it("a stream of guesses from many addresses meets a growing delay, never a wall: the owner gets in within a minute", async () => {
    const user = await userWithPassword("correct horse");
    expect([4, 5, 6, 7, 8, 30].map(accountDelaySeconds)).toEqual([0, 1, 2, 4, 8, 60]);
    let refused = 0;
    for (let i = 0; i < 20; i++) {
      // A refused guess waits out the delay and is tried again, so every guess ends as a recorded failure.
      while ((await attempt(user.email, `guess ${i}`, `10.1.${i}.1`)) === "RATE_LIMITED") {
        refused += 1;
        await timePasses(accountDelaySeconds(i));
      }
    }
    expect(refused).toBe(20 - 5);
    expect(await attempt(user.email, "correct horse", "10.2.0.1")).toBe("RATE_LIMITED");
    await timePasses(61);
    expect(await attempt(user.email, "correct horse", "10.2.0.1")).toMatchObject({ id: user.id });
  });

  it("an address's budget of failures holds across accounts and is not reset by a success from it", async () => {
    const { db } = testDb();
    const owner = await userWithPassword("correct horse");
    for (let i = 0; i < MAX_FAILURES_PER_ADDRESS; i++) {
      const victim = await makeUser(db, { role: "admin" });
      expect(await attempt(victim.email, "guess", "10.3.0.1")).toBeNull();
      if (i === 10) expect(await attempt(owner.email, "correct horse", "10.3.0.1")).toMatchObject({ id: owner.id });
    }
    const another = await makeUser(db, { role: "admin" });
    expect(await attempt(another.email, "guess", "10.3.0.1")).toBe("RATE_LIMITED");
    expect(await attempt(another.email, "guess", "10.3.0.2")).toBeNull();
  });

  it("a burst of parallel guesses is counted one by one: no more than 5 are even tried", async () => {
    const { db } = testDb();
    const user = await userWithPassword("correct horse");
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => attempt(user.email, `guess ${i}`, "10.4.0.1")));
    expect(answers.filter((a) => a === null)).toHaveLength(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
    expect(answers.filter((a) => a === "RATE_LIMITED")).toHaveLength(20 - MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
    const [{ n }] = (await db.execute(sql`select count(*)::int as n from sign_in_attempts where email = ${user.email.toLowerCase()}`)) as unknown as [{ n: number }];
    expect(n).toBe(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
  });

  it("an oversized email or password is refused before anything is read or written", async () => {
    const { db } = testDb();
    const user = await userWithPassword("correct horse");
    const before = (await db.execute(sql`select (select count(*) from sign_in_attempts) + (select count(*) from audit_log) as n`)) as unknown as [{ n: string }];
    expect(await attempt(`${"a".repeat(250)}@example.test`, "correct horse", "10.5.0.1")).toBeNull();
    expect(await attempt(user.email, "x".repeat(1_025), "10.5.0.1")).toBeNull();
    expect(await attempt(user.email, "é".repeat(513), "10.5.0.1")).toBeNull(); // 1,026 bytes
    const after = (await db.execute(sql`select (select count(*) from sign_in_attempts) + (select count(*) from audit_log) as n`)) as unknown as [{ n: string }];
    expect(after[0].n).toBe(before[0].n);
  });

  it("a disabled user cannot sign in", async () => {
    const { db } = testDb();
    const user = await userWithPassword("correct horse");
    await db.update(users).set({ disabled: true }).where(eq(users.id, user.id));
    expect(await authenticate(db, { email: user.email, password: "correct horse", ipAddress: "10.0.0.9" })).toBeNull();
  });
});

describe("password hashes", () => {
  it("a hash made with weaker parameters is upgraded to the policy at the next successful sign-in, not after a failure", async () => {
    const { db } = testDb();
    const { hash, parseOptions } = await import("@node-rs/argon2");
    const old = await hash("correct horse", { memoryCost: 4_096, timeCost: 3, parallelism: 1 });
    const user = await makeUser(db, { role: "admin", passwordHash: old });
    expect(await authenticate(db, { email: user.email, password: "wrong", ipAddress: "10.9.0.1" })).toBeNull();
    const [afterFailure] = await db.select().from(users).where(eq(users.id, user.id));
    expect(afterFailure!.passwordHash).toBe(old);
    expect(await authenticate(db, { email: user.email, password: "correct horse", ipAddress: "10.9.0.1" })).toMatchObject({ id: user.id });
    const [upgraded] = await db.select().from(users).where(eq(users.id, user.id));
    expect(upgraded!.passwordHash).not.toBe(old);
    expect(parseOptions(upgraded!.passwordHash)).toMatchObject({ memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await authenticate(db, { email: user.email, password: "correct horse", ipAddress: "10.9.0.1" })).toMatchObject({ id: user.id });
  });
});
