import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/errors";
import { createPackage, listPackages, packageForm, packageSearchSchema, updatePackage, type CreatePackageInput } from "@/lib/packages";
import { adminActor, makeChargeableReseller, resellerActor } from "../support/factories";
import { testDb } from "../support/fresh-database";

const values = (overrides: Record<string, string> = {}) =>
  packageForm.parse({ name: "Fiber 100", customerPrice: "45.00", validityDays: "30", downloadMbps: "100", uploadMbps: "50", active: "on", ...overrides });
const form = (overrides: Record<string, string> = {}): CreatePackageInput => ({ ...values(overrides), idempotencyKey: randomUUID() });

describe("packages", () => {
  it("creates and edits a package, and refuses a duplicate name case-insensitively", async () => {
    const { db } = testDb();
    const created = await createPackage(db, adminActor, form());
    expect(created).toMatchObject({ name: "Fiber 100", customerPrice: 4500n, active: true });
    const dup = await createPackage(db, adminActor, form({ name: "fiber 100" })).catch((e) => e);
    expect(isDomainError(dup, "NAME_TAKEN") && dup.fields?.name).toBeTruthy();
    const updated = await updatePackage(db, adminActor, { ...values({ customerPrice: "50", active: "" }), packageId: created.id });
    expect(updated).toMatchObject({ customerPrice: 5000n, active: false });
  });

  it("creates one package per idempotency key: a double submit replays it", async () => {
    const { db } = testDb();
    const input = form({ name: "Twice Clicked" });
    const [first, second] = await Promise.all([createPackage(db, adminActor, input), createPackage(db, adminActor, input)]);
    expect(first.id).toBe(second.id);
    expect([first.replayed, second.replayed].sort()).toEqual([false, true]);
    const conflict = await createPackage(db, adminActor, { ...input, name: "Something Else" }).catch((e) => e);
    expect(isDomainError(conflict, "IDEMPOTENCY_CONFLICT")).toBe(true);
    expect((await listPackages(db, packageSearchSchema.parse({ q: "Twice Clicked" }))).rows).toHaveLength(1);
  });

  it("is for admins only", async () => {
    const { db } = testDb();
    const refused = await createPackage(db, resellerActor("00000000-0000-0000-0000-000000000000"), form()).catch((e) => e);
    expect(isDomainError(refused, "FORBIDDEN")).toBe(true);
  });

  it("rejects bad input with field messages", () => {
    const result = packageForm.safeParse({ name: "", customerPrice: "1.234", validityDays: "0", downloadMbps: "x", uploadMbps: "10" });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(["name", "customerPrice", "validityDays", "downloadMbps"]));
  });

  it("lists with search, status filter, sorting and paging done by the database", async () => {
    const { db } = testDb();
    const before = (await listPackages(db, packageSearchSchema.parse({}))).total;
    for (const [name, price] of [["Alpha", "10"], ["Bravo", "30"], ["Charlie", "20"]] as const) await createPackage(db, adminActor, form({ name, customerPrice: price }));
    const inactive = await createPackage(db, adminActor, form({ name: "Delta", customerPrice: "5" }));
    await updatePackage(db, adminActor, { ...values({ name: "Delta", customerPrice: "5", active: "" }), packageId: inactive.id });
    await makeChargeableReseller(db, { rate: 100n }); // adds its own package with one reseller

    const byPrice = await listPackages(db, packageSearchSchema.parse({ sort: "customerPrice.desc", active: "yes", q: "R" }));
    expect(byPrice.rows.map((r) => r.name)).toEqual(["Bravo", "Charlie"]);
    const page2 = await listPackages(db, packageSearchSchema.parse({ sort: "name.asc", perPage: "10", page: "1" }));
    expect(page2.total).toBe(before + 5);
    expect(page2.rows.find((r) => r.resellers === 1)).toBeTruthy();
    const onlyInactive = await listPackages(db, packageSearchSchema.parse({ active: "no", q: "delta" }));
    expect(onlyInactive.rows.map((r) => r.name)).toEqual(["Delta"]);
  });
});
