import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { idempotencyKeys, resellerPackageRates, resellers } from "@/db/schema";
import { loadSessionUser } from "@/lib/auth/session-user";
import { authenticate } from "@/lib/auth/sign-in";
import { isDomainError } from "@/lib/errors";
import {
  createReseller,
  createResellerForm,
  getResellerDetail,
  listResellers,
  resellerScopeForm,
  resellerSearchSchema,
  resellersCsv,
  setResellerScope,
  setResellerStatus,
  updateReseller,
} from "@/lib/resellers";
import { setUserDisabled } from "@/lib/reseller-users";
import { adminActor, makeArea, makeUser, makeChargeableReseller, makeCustomer, makePackage, resellerActor } from "../support/factories";
import { testDb } from "../support/fresh-database";

let n = 0;
async function createForm(overrides: Record<string, unknown> = {}) {
  const { db } = testDb();
  const area = await makeArea(db);
  const pkg = await makePackage(db);
  n++;
  return {
    area,
    pkg,
    input: createResellerForm.parse({
      idempotencyKey: randomUUID(),
      name: `Operator ${n}`,
      contactName: "Sam",
      email: `ops${n}@example.test`,
      type: "postpaid",
      collectionLimit: "1,500.00",
      userName: "Sam Ops",
      userEmail: `Sam${n}@Example.test`,
      password: "a-long-password",
      permissions: ["customers.view", "not.a.permission"],
      areaIds: [area.id],
      [`rate:${pkg.id}`]: "12.50",
      ...overrides,
    }),
  };
}

describe("resellers", () => {
  it("creates a reseller with its user, permissions, areas and rates in one go; the user can sign in", async () => {
    const { db } = testDb();
    const { input, area, pkg } = await createForm();
    const created = await createReseller(db, adminActor, input);
    const detail = await getResellerDetail(db, created.id);
    expect(detail).toMatchObject({ type: "postpaid", collectionLimit: 150_000n, balance: 0n, permissions: ["customers.view"] });
    expect(detail.areas.map((a) => a.id)).toEqual([area.id]);
    expect(detail.rates).toEqual([expect.objectContaining({ packageId: pkg.id, rate: 1250n })]);
    expect(detail.users[0]!.email).toBe(input.userEmail);
    const signedIn = await authenticate(db, { email: input.userEmail, password: "a-long-password", ipAddress: "10.1.1.1" });
    expect(signedIn?.resellerId).toBe(created.id);
  });

  it("creates one reseller per idempotency key: a double submit replays it; the password is not kept with the key", async () => {
    const { db } = testDb();
    const { input } = await createForm();
    const [first, second] = await Promise.all([createReseller(db, adminActor, input), createReseller(db, adminActor, input)]);
    expect(first!.id).toBe(second!.id);
    expect([first!.replayed, second!.replayed].sort()).toEqual([false, true]);
    expect(await db.select().from(resellers).where(eq(resellers.name, input.name))).toHaveLength(1);
    const conflict = await createReseller(db, adminActor, { ...input, name: `${input.name} II` }).catch((e) => e);
    expect(isDomainError(conflict, "IDEMPOTENCY_CONFLICT")).toBe(true);
    const [stored] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, input.idempotencyKey));
    expect(JSON.stringify(stored!.result)).not.toContain("a-long-password");
    expect(JSON.stringify(stored!.result)).not.toMatch(/password/i);
  });

  it("refuses a duplicate name or sign-in email with a field message, and writes nothing", async () => {
    const { db } = testDb();
    const first = await createForm();
    await createReseller(db, adminActor, first.input);
    const sameName = await createForm({ name: first.input.name.toUpperCase() });
    const error = await createReseller(db, adminActor, sameName.input).catch((e) => e);
    expect(isDomainError(error, "NAME_TAKEN") && error.fields?.name).toBeTruthy();
    const sameEmail = await createForm({ userEmail: first.input.userEmail });
    const emailError = await createReseller(db, adminActor, sameEmail.input).catch((e) => e);
    expect(isDomainError(emailError, "EMAIL_TAKEN") && emailError.fields?.userEmail).toBeTruthy();
    const named = await db.select().from(resellers).where(eq(resellers.name, sameEmail.input.name));
    expect(named).toHaveLength(0);
  });

  it("rejects bad form input field by field", () => {
    const result = createResellerForm.safeParse({ name: "", type: "credit", userEmail: "nope", password: "short", "rate:00000000-0000-4000-8000-000000000000": "abc" });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => String(i.path[0]));
    expect(paths).toEqual(expect.arrayContaining(["name", "type", "userEmail", "password", "rate:00000000-0000-4000-8000-000000000000"]));
  });

  it("replaces the scope atomically and suspends/reactivates, ending the users' sessions", async () => {
    const { db } = testDb();
    const { input } = await createForm();
    const created = await createReseller(db, adminActor, input);
    const otherArea = await makeArea(db);
    const otherPkg = await makePackage(db);
    await setResellerScope(db, adminActor, resellerScopeForm.parse({ resellerId: created.id, permissions: ["finance.view", "subscriptions.renew"], areaIds: [otherArea.id], [`rate:${otherPkg.id}`]: "3" }));
    const detail = await getResellerDetail(db, created.id);
    expect(detail.permissions.sort()).toEqual(["finance.view", "subscriptions.renew"]);
    expect(detail.areas.map((a) => a.id)).toEqual([otherArea.id]);
    expect(await db.select().from(resellerPackageRates).where(eq(resellerPackageRates.resellerId, created.id))).toEqual([expect.objectContaining({ packageId: otherPkg.id, rate: 300n })]);

    const userId = detail.users[0]!.id;
    const signedInBefore = Date.now() - 1_000;
    expect(await loadSessionUser(db, userId, signedInBefore)).not.toBeNull();
    await setResellerStatus(db, adminActor, { resellerId: created.id, status: "suspended" });
    expect(await loadSessionUser(db, userId)).toBeNull();
    await setResellerStatus(db, adminActor, { resellerId: created.id, status: "active" });
    // The session from before the suspension stays ended; signing in again works.
    expect(await loadSessionUser(db, userId, signedInBefore)).toBeNull();
    expect(await loadSessionUser(db, userId, Date.now() + 1_000)).not.toBeNull();
    expect(await loadSessionUser(db, userId)).not.toBeNull();
  });

  it("disabling a user ends its sessions for good; re-enabled, it signs in again", async () => {
    const { db } = testDb();
    const { input } = await createForm();
    const created = await createReseller(db, adminActor, input);
    const userId = (await getResellerDetail(db, created!.id)).users[0]!.id;
    const signedInBefore = Date.now() - 1_000;

    await setUserDisabled(db, adminActor, { userId, disabled: true });
    expect(await loadSessionUser(db, userId, signedInBefore)).toBeNull();
    expect(await authenticate(db, { email: input.userEmail, password: "a-long-password", ipAddress: "10.1.1.2" })).toBeNull();
    await setUserDisabled(db, adminActor, { userId, disabled: false });
    expect(await loadSessionUser(db, userId, signedInBefore)).toBeNull();
    expect((await authenticate(db, { email: input.userEmail, password: "a-long-password", ipAddress: "10.1.1.2" }))?.id).toBe(userId);
    expect(await loadSessionUser(db, userId, Date.now() + 1_000)).not.toBeNull();

    const admin = await makeUser(db, { role: "admin" });
    const self = await setUserDisabled(db, { userId: admin.id, label: admin.email, role: "admin" }, { userId: admin.id, disabled: true }).catch((e) => e);
    expect(isDomainError(self, "FORBIDDEN")).toBe(true);
  });

  it("only the admin can change resellers", async () => {
    const { db } = testDb();
    const { reseller } = await makeChargeableReseller(db, { rate: 100n });
    const refused = await updateReseller(db, resellerActor(reseller.id), { resellerId: reseller.id, name: "Mine now", contactName: null, phone: null, email: null }).catch((e) => e);
    expect(isDomainError(refused, "FORBIDDEN")).toBe(true);
  });

  it("lists with customers count, outstanding, search, filters, sorting, paging and CSV", async () => {
    const { db } = testDb();
    const a = await makeChargeableReseller(db, { rate: 100n, type: "postpaid", collectionLimit: 10_000n });
    const b = await makeChargeableReseller(db, { rate: 100n, openingBalance: 5_000n });
    await db.update(resellers).set({ name: "Zeta Net" }).where(eq(resellers.id, b.reseller.id));
    for (let i = 0; i < 3; i++) await makeCustomer(db, a.reseller.id, a.area.id);
    const postpaid = await listResellers(db, resellerSearchSchema.parse({ type: "postpaid", sort: "customers.desc" }));
    expect(postpaid.rows[0]).toMatchObject({ id: a.reseller.id, customers: 3, outstanding: 0n });
    const searched = await listResellers(db, resellerSearchSchema.parse({ q: "zeta" }));
    expect(searched.rows.map((r) => r.id)).toEqual([b.reseller.id]);
    const byBalance = await listResellers(db, resellerSearchSchema.parse({ sort: "balance.desc", perPage: "10" }));
    expect(byBalance.rows[0]!.id).toBe(b.reseller.id);
    expect(byBalance.pageCount).toBe(Math.ceil(byBalance.total / 10));
    const csv = await resellersCsv(db, resellerSearchSchema.parse({ q: "zeta" }));
    expect(csv.split("\r\n")).toEqual([expect.stringMatching(/^name,contact/), expect.stringMatching(/^Zeta Net,.*,prepaid,active,50\.00,0\.00,0\.00,USD,0,/)]);
  });
});
