import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog, customers, customerSearchText, packages, type Customer } from "@/db/schema";
import { activateSubscription, renewSubscription } from "@/lib/billing";
import { listResellerAreas } from "@/lib/areas";
import {
  createCustomer,
  createCustomerForm,
  customerForm,
  getCustomer,
  setCustomerStatus,
  updateCustomer,
  updateCustomerForm,
} from "@/lib/portal/customer-commands";
import { customersCsv, listCustomers, parseCustomerSearch } from "@/lib/portal/customers";
import { collectCustomerPayment } from "@/lib/portal/payments";
import { activationQuote } from "@/lib/portal/quote";
import {
  DAY_MS,
  daysFromNow,
  failureCode,
  loadCustomer,
  makeArea,
  makeChargeableReseller,
  makeCustomer,
  makePackage,
  makeReseller,
  newKey,
  resellerActor,
  reprovisionRadius,
} from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";

type ListFixture = {
  resellerId: string;
  otherId: string;
  areaA: string;
  areaB: string;
  mine: Customer[];
  theirs: Customer[];
};
let fx: ListFixture;

/**
 * 24 customers of one reseller over two areas, in every expiry state and
 * both statuses, with searchable names, usernames and phones; and a second
 * reseller whose customers match the same searches.
 */
async function seedList(): Promise<ListFixture> {
  const areaA = await makeArea(db());
  const areaB = await makeArea(db());
  const reseller = await makeReseller(db(), { areaIds: [areaA.id, areaB.id] });
  const other = await makeReseller(db(), { areaIds: [areaA.id] });
  const firstNames = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", "Mallory", "Niaj"];
  const expiries = [daysFromNow(20), daysFromNow(3), daysFromNow(-2), null];
  const suffix = randomUUID().slice(0, 6);
  const mine: Customer[] = [];
  for (let i = 0; i < 24; i++) {
    mine.push(
      await makeCustomer(db(), reseller.id, i % 2 === 0 ? areaA.id : areaB.id, {
        name: `${firstNames[i % 12]} ${i < 12 ? "Rahman" : "Khan"} ${String(i).padStart(2, "0")}`,
        username: `cust${suffix}_${String(i).padStart(2, "0")}`,
        phone: `+880 17${String(10_000_000 + i * 37).slice(0, 8)}`,
        status: i % 5 === 4 ? "suspended" : "active",
        expiresAt: expiries[i % 4],
        createdAt: new Date(Date.UTC(2026, 0, 1 + ((i * 7) % 24))),
      }),
    );
  }
  const theirs: Customer[] = [];
  for (let i = 0; i < 6; i++) {
    theirs.push(
      await makeCustomer(db(), other.id, areaA.id, {
        name: `Alice Rahman other ${i}`,
        username: `cust${suffix}_other_${i}`,
        phone: `+880 1710000000`,
        expiresAt: expiries[i % 4],
      }),
    );
  }
  return { resellerId: reseller.id, otherId: other.id, areaA: areaA.id, areaB: areaB.id, mine, theirs };
}

beforeAll(async () => {
  fx = await seedList();
});

const list = (params: Record<string, unknown> = {}, resellerId = fx.resellerId) => listCustomers(db(), resellerId, parseCustomerSearch({ perPage: "100", ...params }));

function expiryOf(c: Customer, now = new Date()) {
  if (!c.expiresAt) return "never";
  if (c.expiresAt <= now) return "expired";
  return c.expiresAt.getTime() - now.getTime() <= 7 * DAY_MS ? "expiring" : "active";
}

type SortKey = string | number | null;
const byKey = (key: (c: Customer) => SortKey, direction: "asc" | "desc") => (a: Customer, b: Customer) => {
  const [x, y] = [key(a), key(b)];
  const nullsLastAsc = (v: SortKey) => (v === null ? 1 : 0);
  if (x === null || y === null) {
    // PostgreSQL: NULLS LAST for asc, NULLS FIRST for desc
    const diff = nullsLastAsc(x) - nullsLastAsc(y);
    if (diff !== 0) return direction === "asc" ? diff : -diff;
  } else if (x < y) return direction === "asc" ? -1 : 1;
  else if (x > y) return direction === "asc" ? 1 : -1;
  return direction === "asc" ? (a.id < b.id ? -1 : 1) : a.id < b.id ? 1 : -1;
};

describe("listCustomers: scope, sorts, filters, search, paging", () => {
  it("lists only the reseller's own customers, with area names and expiry state", async () => {
    const page = await list();
    expect(page.rows.map((r) => r.id).sort()).toEqual(fx.mine.map((c) => c.id).sort());
    expect(page.total).toBe(24);
    expect(page.totalIsEstimate).toBe(false);
    const other = await list({}, fx.otherId);
    expect(other.rows.map((r) => r.id).sort()).toEqual(fx.theirs.map((c) => c.id).sort());
    for (const row of page.rows) {
      const c = fx.mine.find((m) => m.id === row.id)!;
      expect(row.expiry).toBe(expiryOf(c));
      expect(row.areaName).toBeTruthy();
    }
  });

  const sorts: [string, (c: Customer) => SortKey][] = [
    ["name", (c) => c.name],
    ["username", (c) => c.username],
    ["createdAt", (c) => c.createdAt.getTime()],
    ["expiresAt", (c) => c.expiresAt?.getTime() ?? null],
  ];
  for (const [column, key] of sorts) {
    for (const direction of ["asc", "desc"] as const) {
      it(`sorts by ${column} ${direction}`, async () => {
        const page = await list({ sort: `${column}.${direction}` });
        expect(page.rows.map((r) => r.id)).toEqual([...fx.mine].sort(byKey(key, direction)).map((c) => c.id));
      });
    }
  }

  it("falls back to name ascending for an unknown sort", async () => {
    const page = await list({ sort: "password.asc" });
    expect(page.rows.map((r) => r.id)).toEqual([...fx.mine].sort(byKey((c) => c.name, "asc")).map((c) => c.id));
  });

  const filters: [string, Record<string, string>, (c: Customer) => boolean][] = [
    ["area", { area: "A" }, (c) => c.areaId === "A"],
    ["status suspended", { status: "suspended" }, (c) => c.status === "suspended"],
    ["status active", { status: "active" }, (c) => c.status === "active"],
    ["expiry active", { expiry: "active" }, (c) => expiryOf(c) !== "never" && expiryOf(c) !== "expired"],
    ["expiry expiring in 7 days", { expiry: "expiring" }, (c) => expiryOf(c) === "expiring"],
    ["expiry expired", { expiry: "expired" }, (c) => expiryOf(c) === "expired"],
    ["expiry never activated", { expiry: "never" }, (c) => c.expiresAt === null],
    ["area + status + expiry", { area: "B", status: "active", expiry: "expiring" }, (c) => c.areaId === "B" && c.status === "active" && expiryOf(c) === "expiring"],
  ];
  for (const [name, params, keep] of filters) {
    it(`filters by ${name}`, async () => {
      const resolved = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === "A" ? fx.areaA : v === "B" ? fx.areaB : v]));
      const page = await list(resolved);
      const want = fx.mine
        .filter((c) => keep({ ...c, areaId: c.areaId === fx.areaA ? "A" : "B" }))
        .sort(byKey((c) => c.name, "asc"))
        .map((c) => c.id);
      expect(want.length).toBeGreaterThan(0);
      expect(page.rows.map((r) => r.id)).toEqual(want);
      expect(page.total).toBe(want.length);
    });
  }

  it("searches name, username and phone, case-insensitively, never matching another reseller's customers", async () => {
    const byName = await list({ q: "alice rahman" });
    expect(byName.rows.map((r) => r.name)).toEqual(["Alice Rahman 00"]);
    const byUsername = await list({ q: fx.mine[13]!.username.toUpperCase() });
    expect(byUsername.rows.map((r) => r.id)).toEqual([fx.mine[13]!.id]);
    const byPhone = await list({ q: fx.mine[7]!.phone!.slice(-6) });
    expect(byPhone.rows.map((r) => r.id)).toContain(fx.mine[7]!.id);
    expect(byPhone.rows.every((r) => fx.mine.some((c) => c.id === r.id))).toBe(true);
    const khan = await list({ q: "Khan" });
    expect(khan.total).toBe(12);
  });

  it("treats % and _ in the search as plain characters", async () => {
    expect((await list({ q: "%" })).total).toBe(0);
    expect((await list({ q: "_0" })).rows.every((r) => r.username.includes("_0"))).toBe(true);
    expect((await list({ q: "_0" })).total).toBe(10);
  });

  it("pages with an exact total for a small list", async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const result = await listCustomers(db(), fx.resellerId, parseCustomerSearch({ perPage: "10", page: String(page), sort: "username.asc" }));
      expect(result.total).toBe(24);
      expect(result.pageCount).toBe(3);
      expect(result.totalIsEstimate).toBe(false);
      seen.push(...result.rows.map((r) => r.id));
    }
    expect(seen).toEqual([...fx.mine].sort(byKey((c) => c.username, "asc")).map((c) => c.id));
    const beyond = await listCustomers(db(), fx.resellerId, parseCustomerSearch({ perPage: "10", page: "9" }));
    expect(beyond.rows).toEqual([]);
    expect(beyond.total).toBe(24);
  });

  it("exports the same filters and order as CSV", async () => {
    const csv = await customersCsv(db(), fx.resellerId, parseCustomerSearch({ area: fx.areaB, sort: "name.desc" }));
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe("username,name,phone,area,status,expires_at,expiry,created_at");
    const want = fx.mine.filter((c) => c.areaId === fx.areaB).sort(byKey((c) => c.name, "desc"));
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(want.map((c) => c.username));
  });

  it("lists the reseller's areas", async () => {
    expect((await listResellerAreas(db(), fx.resellerId)).map((a) => a.id).sort()).toEqual([fx.areaA, fx.areaB].sort());
    expect((await listResellerAreas(db(), fx.otherId)).map((a) => a.id)).toEqual([fx.areaA]);
  });
});

describe("listCustomers on a large list", () => {
  it("uses the planner's estimate instead of counting, and is exact on the last page", async () => {
    const area = await makeArea(db());
    const reseller = await makeReseller(db(), { areaIds: [area.id] });
    const tag = randomUUID().slice(0, 8);
    await db().execute(sql`insert into customers (reseller_id, area_id, username, name)
      select ${reseller.id}, ${area.id}, 'bulk-' || ${tag} || '-' || g, 'Bulk ' || lpad(g::text, 5, '0') from generate_series(1, 6000) g`);
    await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
    await ownerDb().db.execute(sql`analyze customers`); // only the owner of a table may ANALYZE it
    const first = await listCustomers(db(), reseller.id, parseCustomerSearch({ perPage: "25" }));
    expect(first.totalIsEstimate).toBe(true);
    expect(first.total).toBeGreaterThan(4_000);
    expect(first.total).toBeLessThan(8_000);
    expect(first.rows[0]!.name).toBe("Bulk 00001");
    const last = await listCustomers(db(), reseller.id, parseCustomerSearch({ perPage: "100", page: "60" }));
    expect(last.rows).toHaveLength(100);
    expect(last.rows.at(-1)!.name).toBe("Bulk 06000");
    expect(last.total).toBe(6_000);
    expect(last.totalIsEstimate).toBe(false);
    // A filter that leaves few rows is counted exactly.
    const few = await listCustomers(db(), reseller.id, parseCustomerSearch({ perPage: "10", q: "Bulk 0599" }));
    expect(few.total).toBe(10);
    expect(few.totalIsEstimate).toBe(false);
    const some = await listCustomers(db(), reseller.id, parseCustomerSearch({ perPage: "10", q: "Bulk 059" }));
    expect(some.total).toBe(100);
    expect(some.totalIsEstimate).toBe(false);
    // A search reads all its matches to sort them, so it counts them exactly in the same query.
    const many = await listCustomers(db(), reseller.id, parseCustomerSearch({ perPage: "10", q: "Bulk 0", sort: "name.desc" }));
    expect(many.totalIsEstimate).toBe(false);
    expect(many.total).toBe(6_000);
    expect(many.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `Bulk ${String(6000 - i).padStart(5, "0")}`));
    const searchPast = await listCustomers(db(), reseller.id, parseCustomerSearch({ perPage: "10", q: "Bulk 0599", page: "3" }));
    expect(searchPast.rows).toEqual([]);
    expect(searchPast.total).toBe(10);
    // Far past the end of an estimated list: no rows, and a total that no longer promises more pages.
    const past = await listCustomers(db(), reseller.id, parseCustomerSearch({ perPage: "100", page: "5000" }));
    expect(past.rows).toEqual([]);
    expect(past.total).toBeLessThan(10_000);
  });
});

describe("lastmile_count_or_estimate", () => {
  it("quotes every value once: a value that looks like a parameter or a quote stays a value", async () => {
    const run = async (args: string[]) =>
      (await db().execute(sql`select total::int as total, estimated from lastmile_count_or_estimate(
        'select 1 from customers where reseller_id = $1::uuid and name ilike $2', 1000, 10000,
        array[${sql.join(args.map((a) => sql`${a}`), sql`, `)}]::text[])`)) as unknown as { total: number; estimated: boolean }[];
    expect(await run([fx.resellerId, "%Rahman%"])).toEqual([{ total: 12, estimated: false }]);
    expect(await run([fx.resellerId, "$1' or true or name ilike '"])).toEqual([{ total: 0, estimated: false }]);
    expect(await run([fx.resellerId, "%$1%"])).toEqual([{ total: 0, estimated: false }]);
    await expect(run([fx.resellerId])).rejects.toThrow();
  });

  it("a search paged past its end counts safely whatever was typed", async () => {
    for (const q of ["$1' or '1'='1", "$2", "%' --", "O'Brien"]) {
      const page = await list({ q, page: "5" });
      expect(page.rows).toEqual([]);
      expect(page.total).toBe(0);
    }
  });
});

describe("create and edit customers", () => {
  async function setup() {
    const area = await makeArea(db());
    const elsewhere = await makeArea(db());
    const reseller = await makeReseller(db(), { areaIds: [area.id] });
    return { reseller, area, elsewhere, actor: resellerActor(reseller.id) };
  }
  const form = (overrides: Record<string, unknown> = {}) =>
    createCustomerForm.parse({ idempotencyKey: randomUUID(), username: `new-${randomUUID().slice(0, 8)}`, name: "  New Customer ", phone: "+880 1711-000000", address: "", ...overrides });

  it("creates a customer in one of the reseller's areas, with an audit row", async () => {
    const { reseller, area, actor } = await setup();
    const customer = await createCustomer(db(), actor, { ...form({ areaId: area.id }), resellerId: reseller.id });
    expect(customer).toMatchObject({ resellerId: reseller.id, areaId: area.id, name: "New Customer", address: null, status: "active", expiresAt: null });
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "customer.create"), eq(auditLog.targetId, customer.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]!.resellerId).toBe(reseller.id);
  });

  it("refuses an area the reseller does not serve (AREA_NOT_IN_SCOPE on the area field)", async () => {
    const { reseller, elsewhere, actor } = await setup();
    const error = await createCustomer(db(), actor, { ...form({ areaId: elsewhere.id }), resellerId: reseller.id }).catch((e) => e);
    expect(error.code).toBe("AREA_NOT_IN_SCOPE");
    expect(error.fields).toHaveProperty("areaId");
    expect(await db().select().from(customers).where(eq(customers.resellerId, reseller.id))).toEqual([]);
  });

  it("keeps usernames unique across the install, ignoring case, with a field message", async () => {
    const { reseller, area, actor } = await setup();
    const other = await setup();
    const taken = await createCustomer(db(), other.actor, { ...form({ areaId: other.area.id, username: "Shared.Name" }), resellerId: other.reseller.id });
    const error = await createCustomer(db(), actor, { ...form({ areaId: area.id, username: "shared.name" }), resellerId: reseller.id }).catch((e) => e);
    expect(error.code).toBe("USERNAME_TAKEN");
    expect(error.fields.username).toMatch(/already in use/);
    // Two creates racing for one name: exactly one wins, the other is USERNAME_TAKEN.
    const results = await Promise.allSettled(
      [0, 1, 2, 3].map(() => createCustomer(db(), actor, { ...form({ areaId: area.id, username: "race-name" }), resellerId: reseller.id })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason.code).toBe("USERNAME_TAKEN");
    expect(taken.username).toBe("Shared.Name");
  });

  it("creates one customer per idempotency key: a repeat (even concurrent) replays it, another payload is a conflict", async () => {
    const { reseller, area, actor } = await setup();
    const input = { ...form({ areaId: area.id, username: "double-click" }), resellerId: reseller.id };
    const results = await Promise.all([0, 1, 2, 3, 4].map(() => createCustomer(db(), actor, input)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    const again = await createCustomer(db(), actor, input);
    expect(again).toMatchObject({ id: results[0]!.id, username: "double-click", replayed: true });
    const conflict = await createCustomer(db(), actor, { ...input, name: "Someone Else" }).catch((e) => e);
    expect(conflict.code).toBe("IDEMPOTENCY_CONFLICT");
    expect(await db().select().from(customers).where(eq(customers.resellerId, reseller.id))).toHaveLength(1);
  });

  it("validates the form: username shape, name, phone and area", () => {
    const result = customerForm.safeParse({ username: "a b", name: " ", phone: "call me", areaId: "nope" });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(["username", "name", "phone", "areaId"]));
  });

  it("edits a customer: same rules, unchanged username allowed in another case, out-of-scope area kept only if unchanged", async () => {
    const { reseller, area, elsewhere, actor } = await setup();
    const second = await makeArea(db());
    await db().execute(sql`insert into reseller_areas (reseller_id, area_id) values (${reseller.id}, ${second.id})`);
    const customer = await createCustomer(db(), actor, { ...form({ areaId: area.id, username: "edit-me" }), resellerId: reseller.id });
    const base = { customerId: customer.id, username: "EDIT-ME", name: "Renamed", phone: "", address: "Road 1", areaId: second.id };
    const updated = await updateCustomer(db(), actor, { ...updateCustomerForm.parse(base), resellerId: reseller.id });
    expect(updated).toMatchObject({ username: "EDIT-ME", name: "Renamed", phone: null, address: "Road 1", areaId: second.id });
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "customer.update"), eq(auditLog.targetId, customer.id)));
    expect(audit[0]!.details).toMatchObject({ changes: { name: { from: "New Customer", to: "Renamed" } } });

    expect(await failureCode(updateCustomer(db(), actor, { ...updateCustomerForm.parse({ ...base, areaId: elsewhere.id }), resellerId: reseller.id }))).toBe("AREA_NOT_IN_SCOPE");
    await createCustomer(db(), actor, { ...form({ areaId: area.id, username: "someone-else" }), resellerId: reseller.id });
    expect(await failureCode(updateCustomer(db(), actor, { ...updateCustomerForm.parse({ ...base, username: "Someone-Else" }), resellerId: reseller.id }))).toBe("USERNAME_TAKEN");

    // The admin takes the area out of scope: the customer may stay there, but nobody moves in.
    await db().execute(sql`delete from reseller_areas where reseller_id = ${reseller.id} and area_id = ${second.id}`);
    const kept = await updateCustomer(db(), actor, { ...updateCustomerForm.parse({ ...base, name: "Still Here" }), resellerId: reseller.id });
    expect(kept.areaId).toBe(second.id);
    expect(kept.name).toBe("Still Here");
  });
});

describe("suspend and reactivate", () => {
  it("suspends (activation then refused), reactivates, and treats a repeat as no change", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 5_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const actor = resellerActor(reseller.id);
    const suspended = await setCustomerStatus(db(), actor, { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: "unpaid" });
    expect(suspended).toMatchObject({ status: "suspended", changed: true });
    const again = await setCustomerStatus(db(), actor, { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null });
    expect(again.changed).toBe(false);
    expect(
      await failureCode(activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() })),
    ).toBe("CUSTOMER_SUSPENDED");
    const quote = await activationQuote(db(), reseller.id, customer.id);
    expect(quote.options.every((o) => !o.allowed && o.refusal?.code === "CUSTOMER_SUSPENDED")).toBe(true);

    await setCustomerStatus(db(), actor, { resellerId: reseller.id, customerId: customer.id, status: "active", reason: null });
    expect((await loadCustomer(db(), customer.id)).status).toBe("active");
    const audit = await db().select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.targetId, customer.id));
    expect(audit.map((a) => a.action).sort()).toEqual(["customer.reactivate", "customer.suspend"]);
    await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
  });
});

describe("getCustomer", () => {
  it("returns the customer with its subscriptions (package, period, price charged) and payments", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_200n, openingBalance: 10_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const actor = resellerActor(reseller.id);
    const activated = await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
    const renewed = await renewSubscription(db(), actor, { resellerId: reseller.id, subscriptionId: activated.subscription.id, idempotencyKey: newKey() });
    await collectCustomerPayment(db(), actor, { resellerId: reseller.id, customerId: customer.id, amount: 2_000n, method: "cash", idempotencyKey: newKey() });

    const detail = await getCustomer(db(), reseller.id, customer.id);
    expect(detail.customer).toMatchObject({ id: customer.id, areaName: area.name, expiry: "active" });
    expect(detail.customer.expiresAt).toEqual(renewed.subscription.expiresAt);
    expect(detail.subscriptions.map((s) => s.id)).toEqual([renewed.subscription.id, activated.subscription.id]);
    expect(detail.subscriptions[0]).toMatchObject({ kind: "renewal", packageName: pkg.name, priceCharged: 1_200n, customerPrice: pkg.customerPrice });
    expect(detail.subscriptions[0]!.startsAt).toEqual(activated.subscription.expiresAt);
    expect(detail.currentSubscription?.id).toBe(renewed.subscription.id);
    expect(detail.payments).toHaveLength(1);
    expect(detail.payments[0]!.amount).toBe(2_000n);
  });
});

describe("activationQuote", () => {
  it("quotes every package in scope with rate, customer price, new expiry and balance after; the rule decides allowed", async () => {
    const area = await makeArea(db());
    const cheap = await makePackage(db(), { customerPrice: 1_500n, validityDays: 30 });
    const dear = await makePackage(db(), { customerPrice: 5_000n, validityDays: 90 });
    const retired = await makePackage(db(), { active: false });
    const notMine = await makePackage(db());
    const reseller = await makeReseller(db(), {
      areaIds: [area.id],
      rates: [
        { packageId: cheap.id, rate: 1_000n },
        { packageId: dear.id, rate: 4_000n },
        { packageId: retired.id, rate: 500n },
      ],
      openingBalance: 3_000n,
    });
    const customer = await makeCustomer(db(), reseller.id, area.id);

    const before = Date.now();
    const quote = await activationQuote(db(), reseller.id, customer.id);
    expect(quote.kind).toBe("activation");
    expect(quote.renewsSubscriptionId).toBeNull();
    expect(quote.position).toMatchObject({ type: "prepaid", balance: 3_000n, outstanding: 0n });
    expect(quote.options.map((o) => o.packageId)).toEqual([cheap.id, dear.id]); // active only, cheapest first
    const [c, d] = quote.options;
    expect(c).toMatchObject({ rate: 1_000n, customerPrice: 1_500n, balanceAfter: 2_000n, outstandingAfter: 0n, allowed: true, refusal: null });
    expect(d).toMatchObject({ rate: 4_000n, balanceAfter: -1_000n, allowed: false, refusal: { code: "INSUFFICIENT_BALANCE" } });
    expect(c!.expiresAt.getTime() - c!.startsAt.getTime()).toBe(30 * DAY_MS);
    expect(c!.startsAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(quote.selected).toBeNull();

    expect((await activationQuote(db(), reseller.id, customer.id, dear.id)).selected?.packageId).toBe(dear.id);
    expect(await failureCode(activationQuote(db(), reseller.id, customer.id, notMine.id))).toBe("PACKAGE_NOT_IN_SCOPE");
    expect(await failureCode(activationQuote(db(), reseller.id, customer.id, retired.id))).toBe("PACKAGE_INACTIVE");

    // The charge agrees with the quote.
    const actor = resellerActor(reseller.id);
    const charged = await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: cheap.id, idempotencyKey: newKey() });
    expect(charged.balanceAfter).toBe(c!.balanceAfter);
    expect(Math.abs(charged.subscription.expiresAt.getTime() - c!.expiresAt.getTime())).toBeLessThan(60_000);

    // Now running: a renewal from the current expiry, on the current package by default.
    const renewal = await activationQuote(db(), reseller.id, customer.id);
    expect(renewal.kind).toBe("renewal");
    expect(renewal.renewsSubscriptionId).toBe(charged.subscription.id);
    expect(renewal.selected?.packageId).toBe(cheap.id);
    expect(renewal.selected!.startsAt).toEqual(charged.subscription.expiresAt);
    expect(renewal.selected!.expiresAt.getTime()).toBe(charged.subscription.expiresAt.getTime() + 30 * DAY_MS);
    expect(renewal.selected!.balanceAfter).toBe(1_000n);
    const renewed = await renewSubscription(db(), actor, { resellerId: reseller.id, subscriptionId: renewal.renewsSubscriptionId!, idempotencyKey: newKey() });
    expect(renewed.subscription.expiresAt).toEqual(renewal.selected!.expiresAt);
  });

  it("shows the postpaid outstanding after and refuses past the collection limit", async () => {
    const { reseller, area, pkg } = await makeChargeableReseller(db(), { rate: 3_000n, type: "postpaid", collectionLimit: 5_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const first = await activationQuote(db(), reseller.id, customer.id, pkg.id);
    expect(first.selected).toMatchObject({ balanceAfter: -3_000n, outstandingAfter: 3_000n, allowed: true });
    await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
    const second = await makeCustomer(db(), reseller.id, area.id);
    const refused = await activationQuote(db(), reseller.id, second.id, pkg.id);
    expect(refused.position.outstanding).toBe(3_000n);
    expect(refused.selected).toMatchObject({ outstandingAfter: 6_000n, allowed: false, refusal: { code: "COLLECTION_LIMIT_REACHED" } });
  });

  it("refuses a customer id that is not the reseller's or not an id at all", async () => {
    const { reseller } = await makeChargeableReseller(db(), { rate: 1_000n });
    expect(await failureCode(activationQuote(db(), reseller.id, fx.mine[0]!.id))).toBe("CUSTOMER_NOT_FOUND");
    expect(await failureCode(activationQuote(db(), reseller.id, "not-a-uuid"))).toBe("CUSTOMER_NOT_FOUND");
    void packages;
  });
});

describe("customer search text", () => {
  it("is the expression the trigram index was built on, so a search can use the index", async () => {
    // One definition (db/schema customerSearchText) serves the index and every search; this
    // checks it against the index the migrations actually built.
    const plan = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return (await tx.execute(sql`explain select ${customers.id} from ${customers} where ${customerSearchText(customers)} ilike ${"%4417%"}`)) as unknown as { "QUERY PLAN": string }[];
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("customers_search_trgm_idx");
  });
});
