import { randomUUID } from "node:crypto";
import { validate } from "@readme/openapi-parser";
import { and, count, eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, customerPayments, customers, ledgerEntries, onlinePayments, resellers, subscriptions } from "@/db/schema";
import { endpoints, type EndpointName, type EndpointSpec } from "@/lib/api/endpoints";
import { issueApiToken, revokeApiToken } from "@/lib/api/tokens";
import { allPermissions, type Permission } from "@/lib/permissions";
import { apiClient, rawCall, routeModules, successSchema } from "../support/api-client";
import { adminActor, loadReseller, makeChargeableReseller, makeCustomer, makeUser, reprovisionRadius } from "../support/factories";
import { db, testDatabaseUrl } from "../support/fresh-database";

// The REST API, driven through its route handlers in-process by the typed
// client generated from the served OpenAPI document; every success checked
// against its documented schema.

beforeAll(() => {
  process.env.DATABASE_URL = testDatabaseUrl();
  process.env.LASTMILE_PAYMENTS_SANDBOX = "1";
  // The table-driven refusals send many bad tokens from one (unknown) address; the per-address throttle has its own test (api-hardening).
  process.env.LASTMILE_API_BAD_TOKEN_LIMIT = "100000";
});

async function resellerWithToken(options: { rate?: bigint; type?: "prepaid" | "postpaid"; openingBalance?: bigint; collectionLimit?: bigint; scopes?: Permission[]; rateLimit?: number } = {}) {
  const setup = await makeChargeableReseller(db(), { rate: options.rate ?? 1_000n, type: options.type, openingBalance: options.openingBalance ?? 10_000n, collectionLimit: options.collectionLimit });
  await db().update(resellers).set({ permissions: allPermissions }).where(eq(resellers.id, setup.reseller.id));
  const user = await makeUser(db(), { role: "reseller", resellerId: setup.reseller.id });
  const { token, record } = await issueApiToken(db(), adminActor, { userId: user.id, name: `kiosk ${randomUUID().slice(0, 6)}`, scopes: options.scopes, rateLimit: options.rateLimit });
  return { ...setup, user, token, record, api: apiClient(token) };
}

async function adminWithToken(scopes?: string[]) {
  const user = await makeUser(db(), { role: "admin" });
  const { token, record } = await issueApiToken(db(), adminActor, { userId: user.id, name: "accounting", scopes });
  return { user, token, record, api: apiClient(token) };
}

function expectDocumented(name: EndpointName, body: unknown) {
  const parsed = successSchema(name).safeParse(body);
  if (!parsed.success) throw new Error(`${name} response does not match its documented schema: ${parsed.error.message}`);
}

async function counts() {
  const [[l], [c], [p], [o], [s]] = await Promise.all([
    db().select({ n: count() }).from(ledgerEntries),
    db().select({ n: count() }).from(customers),
    db().select({ n: count() }).from(customerPayments),
    db().select({ n: count() }).from(onlinePayments),
    db().select({ n: count() }).from(subscriptions),
  ]);
  const balances = await db().select({ id: resellers.id, balance: resellers.balance }).from(resellers).orderBy(resellers.id);
  return { ledger: l!.n, customers: c!.n, payments: p!.n, online: o!.n, subscriptions: s!.n, balances };
}

describe("the OpenAPI document", () => {
  it("is served, validates as OpenAPI 3.1 and lists every endpoint", async () => {
    const response = await rawCall("GET", "/openapi.json");
    expect(response.status).toBe(200);
    const doc = await response.json();
    expect(doc.openapi).toBe("3.1.0");
    await expect(validate(structuredClone(doc))).resolves.toMatchObject({ valid: true });
    for (const spec of Object.values(endpoints) as EndpointSpec[]) {
      expect(doc.paths[spec.path]?.[spec.method.toLowerCase()]?.operationId).toBe(spec.operationId);
      expect(routeModules[spec.path]?.[spec.method], `${spec.method} ${spec.path} has a handler`).toBeTypeOf("function");
    }
  });

  it("matches the generated client types (npm run api:types)", async () => {
    const { apiTypes } = await import("@/scripts/api-types");
    const { readFile } = await import("node:fs/promises");
    expect(await readFile("tests/support/api-schema.d.ts", "utf8")).toBe(await apiTypes());
  });
});

describe("a reseller's day through the API", () => {
  it("creates, reads, edits, quotes, activates, renews, collects, suspends, reads the statement and pays online", async () => {
    const { api, area, pkg, reseller, record } = await resellerWithToken({ rate: 1_500n, openingBalance: 10_000n });

    const me = await api.GET("/me");
    expect(me.response.status).toBe(200);
    expectDocumented("me", me.data);
    expect(me.data!.position).toMatchObject({ type: "prepaid", balance: "100.00", outstanding: "0.00" });
    expect(me.response.headers.get("RateLimit-Limit")).toBe("600");
    expect(me.response.headers.get("RateLimit-Remaining")).toBe("599");

    const pkgs = await api.GET("/packages");
    expectDocumented("listPackages", pkgs.data);
    expect(pkgs.data!.data).toEqual([expect.objectContaining({ id: pkg.id, rate: "15.00", customerPrice: "20.00" })]);

    const created = await api.POST("/customers", {
      params: { header: { "Idempotency-Key": randomUUID() } },
      body: { username: `api-${randomUUID().slice(0, 8)}`, name: "Ada Kiosk", areaId: area.id, phone: "+1 555 0100" },
    });
    expect(created.response.status).toBe(201);
    expectDocumented("createCustomer", created.data);
    const customerId = created.data!.id;

    const list = await api.GET("/customers", { params: { query: { q: "Ada", limit: 10 } } });
    expectDocumented("listCustomers", list.data);
    expect(list.data!.data.map((c) => c.id)).toEqual([customerId]);

    const patched = await api.PATCH("/customers/{id}", { params: { path: { id: customerId } }, body: { name: "Ada Lovelace" } });
    expect(patched.response.status).toBe(200);
    expectDocumented("updateCustomer", patched.data);
    expect(patched.data).toMatchObject({ name: "Ada Lovelace", phone: "+1 555 0100" });

    const quote = await api.GET("/quotes", { params: { query: { customer: customerId, package: pkg.id } } });
    expectDocumented("quote", quote.data);
    expect(quote.data).toMatchObject({ kind: "activation", selected: { allowed: true, balanceAfter: "85.00" } });

    const activated = await api.POST("/customers/{id}/activations", {
      params: { path: { id: customerId }, header: { "Idempotency-Key": randomUUID() } },
      body: { packageId: pkg.id },
    });
    expect(activated.response.status).toBe(201);
    expectDocumented("activate", activated.data);
    expect(activated.data).toMatchObject({ priceCharged: "15.00", balanceBefore: "100.00", balanceAfter: "85.00" });

    const renewed = await api.POST("/subscriptions/{id}/renewals", {
      params: { path: { id: activated.data!.subscriptionId }, header: { "Idempotency-Key": randomUUID() } },
      body: {},
    });
    expect(renewed.response.status).toBe(201);
    expectDocumented("renew", renewed.data);
    expect(renewed.data!.startsAt).toBe(activated.data!.expiresAt);

    const paid = await api.POST("/customers/{id}/payments", {
      params: { path: { id: customerId }, header: { "Idempotency-Key": randomUUID() } },
      body: { amount: "20.00", method: "cash", reference: "counter 1" },
    });
    expect(paid.response.status).toBe(201);
    expectDocumented("collectPayment", paid.data);

    const detail = await api.GET("/customers/{id}", { params: { path: { id: customerId } } });
    expectDocumented("getCustomer", detail.data);
    expect(detail.data!.subscriptions).toHaveLength(2);
    expect(detail.data!.payments.map((p) => p.amount)).toEqual(["20.00"]);

    const suspended = await api.POST("/customers/{id}/suspend", { params: { path: { id: customerId }, header: { "Idempotency-Key": randomUUID() } }, body: { reason: "asked" } });
    expect(suspended.data?.status).toBe("suspended");
    const reactivated = await api.POST("/customers/{id}/reactivate", { params: { path: { id: customerId }, header: { "Idempotency-Key": randomUUID() } }, body: {} });
    expectDocumented("reactivateCustomer", reactivated.data);
    expect(reactivated.data?.status).toBe("active");

    const first = await api.GET("/statement", { params: { query: { limit: 2 } } });
    expectDocumented("statement", first.data);
    expect(first.data!.data.map((e) => e.kind)).toEqual(["renewal", "activation"]);
    expect(first.data).toMatchObject({ has_more: true, currentBalance: "70.00" });
    const second = await api.GET("/statement", { params: { query: { limit: 2, starting_after: Number(first.data!.next_cursor) } } });
    expect(second.data!.data.map((e) => e.kind)).toEqual(["balance_added"]);
    expect(second.data!.has_more).toBe(false);

    const started = await api.POST("/online-payments", { params: { header: { "Idempotency-Key": randomUUID() } }, body: { amount: "25.00" } });
    expect(started.response.status).toBe(201);
    expectDocumented("startOnlinePayment", started.data);
    expect(started.data!.checkoutUrl).toMatch(/^https?:\/\//);
    const mine = await api.GET("/online-payments");
    expectDocumented("listOnlinePayments", mine.data);
    expect(mine.data!.data).toEqual([expect.objectContaining({ id: started.data!.onlinePaymentId, status: "pending", amount: "25.00", resellerId: reseller.id })]);

    // Every call is in the audit log under the token's name; the commands' own rows name it too.
    const calls = await db().select().from(auditLog).where(and(eq(auditLog.action, "api.call"), eq(auditLog.targetId, record.id)));
    expect(calls.length).toBeGreaterThanOrEqual(16);
    expect(calls.every((c) => c.details?.token === record.name)).toBe(true);
    const [activation] = await db().select().from(auditLog).where(and(eq(auditLog.action, "customer.create"), eq(auditLog.targetId, customerId)));
    expect(activation?.actorLabel).toContain(`API token "${record.name}"`);
    const [token] = await db().select().from(apiTokens).where(eq(apiTokens.id, record.id));
    expect(token!.lastUsedAt).not.toBeNull();
  });

  it("pages customers with a cursor, newest first, without repeats or gaps", async () => {
    const { api, reseller, area } = await resellerWithToken();
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await makeCustomer(db(), reseller.id, area.id, { createdAt: new Date(Date.now() - i * 60_000) }));
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await api.GET("/customers", { params: { query: { limit: 3, starting_after: cursor } } });
      seen.push(...page.data!.data.map((c) => c.id));
      if (!page.data!.has_more) break;
      cursor = page.data!.next_cursor!;
    }
    expect(seen).toEqual(made.map((c) => c.id));
  });
});

describe("the admin's automation", () => {
  it("lists resellers, adds balance, records cash, reads receivables and online payments", async () => {
    const { api } = await adminWithToken();
    const postpaid = await makeChargeableReseller(db(), { rate: 1_000n, type: "postpaid", collectionLimit: 50_000n });
    await db().update(resellers).set({ balance: 0n }).where(eq(resellers.id, postpaid.reseller.id));

    const list = await api.GET("/resellers", { params: { query: { type: "postpaid" } } });
    expectDocumented("listResellers", list.data);
    expect(list.data!.data.map((r) => r.id)).toContain(postpaid.reseller.id);

    const added = await api.POST("/resellers/{id}/balance", {
      params: { path: { id: postpaid.reseller.id }, header: { "Idempotency-Key": randomUUID() } },
      body: { amount: "12.34", method: "bank_transfer", reference: "TRX-1" },
    });
    expect(added.response.status).toBe(201);
    expectDocumented("addBalance", added.data);
    expect(added.data).toMatchObject({ balanceBefore: "0.00", balanceAfter: "12.34" });

    const cash = await api.POST("/resellers/{id}/cash-received", {
      params: { path: { id: postpaid.reseller.id }, header: { "Idempotency-Key": randomUUID() } },
      body: { amount: "1.00", method: "cash" },
    });
    expectDocumented("cashReceived", cash.data);
    expect(cash.data!.balanceAfter).toBe("13.34");

    const receivables = await api.GET("/receivables");
    expectDocumented("receivables", receivables.data);
    const payments = await api.GET("/online-payments", { params: { query: { status: "pending" } } });
    expectDocumented("listOnlinePayments", payments.data);
  });
});

describe("scope and permission, every endpoint", () => {
  /** A request each endpoint would accept from the right token; ids belong to `owner`. */
  function requestFor(name: EndpointName, ids: { customer: string; subscription: string; reseller: string; pkg: string; area: string }) {
    const spec = endpoints[name] as EndpointSpec;
    const id = spec.path.startsWith("/resellers/") ? ids.reseller : spec.path.startsWith("/subscriptions/") ? ids.subscription : ids.customer;
    const path = spec.path.replace("{id}", id) + (name === "quote" ? `?customer=${ids.customer}` : "");
    const bodies: Partial<Record<EndpointName, unknown>> = {
      createCustomer: { username: `x-${randomUUID().slice(0, 8)}`, name: "X", areaId: ids.area },
      updateCustomer: { name: "Changed" },
      suspendCustomer: {},
      reactivateCustomer: {},
      activate: { packageId: ids.pkg },
      renew: {},
      collectPayment: { amount: "1.00", method: "cash" },
      startOnlinePayment: { amount: "5.00" },
      addBalance: { amount: "1.00", method: "cash" },
      cashReceived: { amount: "1.00", method: "cash" },
    };
    return { method: spec.method, path, body: spec.method === "GET" ? undefined : JSON.stringify(bodies[name] ?? {}), headers: { "Idempotency-Key": randomUUID() } };
  }

  it("refuses no token, a revoked or expired token, the wrong kind, a missing scope and another reseller's ids; nothing changes", async () => {
    const owner = await resellerWithToken();
    const ownerCustomer = await makeCustomer(db(), owner.reseller.id, owner.area.id);
    const activated = await owner.api.POST("/customers/{id}/activations", { params: { path: { id: ownerCustomer.id }, header: { "Idempotency-Key": randomUUID() } }, body: { packageId: owner.pkg.id } });
    const ids = { customer: ownerCustomer.id, subscription: activated.data!.subscriptionId, reseller: owner.reseller.id, pkg: owner.pkg.id, area: owner.area.id };

    const other = await resellerWithToken();
    const narrow = await issueApiToken(db(), adminActor, { userId: other.user.id, name: "narrow", scopes: ["customers.view"] });
    const revoked = await issueApiToken(db(), adminActor, { userId: owner.user.id, name: "revoked" });
    await revokeApiToken(db(), adminActor, revoked.record.id);
    const expired = await issueApiToken(db(), adminActor, { userId: owner.user.id, name: "expired" });
    await db().update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, expired.record.id));
    const admin = await adminWithToken();
    const adminNarrow = await adminWithToken(["resellers.read"]);

    const before = await counts();
    const rows: { endpoint: string; who: string; status: number; expected: number }[] = [];
    for (const name of Object.keys(endpoints) as EndpointName[]) {
      const spec = endpoints[name] as EndpointSpec;
      const request = requestFor(name, ids);
      const call = async (token: string | undefined) => (await rawCall(request.method, request.path, { token, body: request.body, headers: request.headers })).status;
      const forReseller = Boolean(spec.access.reseller);
      const forAdmin = Boolean(spec.access.admin);
      const add = async (who: string, token: string | undefined, expected: number) => rows.push({ endpoint: `${spec.method} ${spec.path}`, who, status: await call(token), expected });
      await add("no token", undefined, 401);
      await add("garbage token", "lm_live_" + "x".repeat(43), 401);
      await add("revoked", revoked.token, 401);
      await add("expired", expired.token, 401);
      if (!forAdmin) await add("admin token", admin.token, 403);
      if (!forReseller) await add("reseller token", owner.token, 403);
      if (forReseller && (spec.access.reseller ?? []).length && !(spec.access.reseller ?? []).includes("customers.view")) await add("missing permission", narrow.token, 403);
      if (forAdmin && (spec.access.admin ?? []).length && !(spec.access.admin ?? []).includes("resellers.read")) await add("missing admin scope", adminNarrow.token, 403);
      // Another reseller naming the owner's customer or subscription: not found, never forbidden.
      if (forReseller && spec.params) await add("another reseller's id", other.token, 404);
    }
    const wrong = rows.filter((r) => r.status !== r.expected);
    expect(wrong).toEqual([]);
    expect(rows.length).toBeGreaterThan(80);
    expect(await counts()).toEqual(before);
  });

  it("a permission taken from the reseller narrows its tokens on the next request", async () => {
    const { api, reseller } = await resellerWithToken();
    expect((await api.GET("/customers")).response.status).toBe(200);
    await db().update(resellers).set({ permissions: allPermissions.filter((p) => p !== "customers.view") }).where(eq(resellers.id, reseller.id));
    const refused = await api.GET("/customers");
    expect(refused.response.status).toBe(403);
    expect(refused.error).toMatchObject({ code: "FORBIDDEN", status: 403 });
  });

  it("a suspended reseller's tokens stop working", async () => {
    const { api, reseller } = await resellerWithToken();
    await db().update(resellers).set({ status: "suspended" }).where(eq(resellers.id, reseller.id));
    await reprovisionRadius(db()); // the RADIUS rows follow, as the commands keep them
    const refused = await api.GET("/me");
    expect(refused.response.status).toBe(401);
    expect(refused.response.headers.get("content-type")).toBe("application/problem+json");
  });
});

describe("idempotency", () => {
  it("the same key twenty times at once posts once and every caller gets the same body", async () => {
    const { token, reseller, area, pkg } = await resellerWithToken({ rate: 1_000n, openingBalance: 100_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const key = randomUUID();
    const body = JSON.stringify({ packageId: pkg.id });
    const responses = await Promise.all(Array.from({ length: 20 }, () => rawCall("POST", `/customers/${customer.id}/activations`, { token, body, headers: { "Idempotency-Key": key } })));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(responses.filter((r) => r.headers.get("Idempotent-Replayed") === "true")).toHaveLength(19);
    const charges = await db().select().from(ledgerEntries).where(and(eq(ledgerEntries.resellerId, reseller.id), eq(ledgerEntries.kind, "activation")));
    expect(charges).toHaveLength(1);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(99_000n);
  });

  it("the same key with another body is 409 IDEMPOTENCY_CONFLICT; a refusal is replayed as it was", async () => {
    const { token, reseller, area, pkg } = await resellerWithToken({ rate: 1_000n, openingBalance: 500n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const key = randomUUID();
    const first = await rawCall("POST", `/customers/${customer.id}/activations`, { token, body: JSON.stringify({ packageId: pkg.id }), headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(409);
    const firstBody = await first.json();
    expect(firstBody).toMatchObject({ code: "INSUFFICIENT_BALANCE", status: 409 });
    const again = await rawCall("POST", `/customers/${customer.id}/activations`, { token, body: JSON.stringify({ packageId: pkg.id }), headers: { "Idempotency-Key": key } });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await again.json()).toEqual(firstBody);
    const other = await rawCall("POST", `/customers/${customer.id}/activations`, { token, body: JSON.stringify({ packageId: randomUUID() }), headers: { "Idempotency-Key": key } });
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
  });

  it("two resellers' keys never collide, and a POST without a key is refused", async () => {
    const a = await resellerWithToken({ openingBalance: 10_000n });
    const b = await resellerWithToken({ openingBalance: 10_000n });
    const key = "shared-key-1";
    for (const r of [a, b]) {
      const customer = await makeCustomer(db(), r.reseller.id, r.area.id);
      const res = await rawCall("POST", `/customers/${customer.id}/activations`, { token: r.token, body: JSON.stringify({ packageId: r.pkg.id }), headers: { "Idempotency-Key": key } });
      expect(res.status).toBe(201);
      expect(res.headers.get("Idempotent-Replayed")).toBeNull();
    }
    const customer = await makeCustomer(db(), a.reseller.id, a.area.id);
    const missing = await rawCall("POST", `/customers/${customer.id}/activations`, { token: a.token, body: JSON.stringify({ packageId: a.pkg.id }) });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: "IDEMPOTENCY_KEY_REQUIRED" });
  });
});

describe("money rules through the API", () => {
  it("a prepaid reseller at zero balance and a postpaid one at its limit are refused, as in the portal", async () => {
    const prepaid = await resellerWithToken({ rate: 1_000n, openingBalance: 1_000n });
    const c1 = await makeCustomer(db(), prepaid.reseller.id, prepaid.area.id);
    const c2 = await makeCustomer(db(), prepaid.reseller.id, prepaid.area.id);
    const activate = (r: typeof prepaid, customerId: string) =>
      r.api.POST("/customers/{id}/activations", { params: { path: { id: customerId }, header: { "Idempotency-Key": randomUUID() } }, body: { packageId: r.pkg.id } });
    expect((await activate(prepaid, c1.id)).data?.balanceAfter).toBe("0.00");
    const refused = await activate(prepaid, c2.id);
    expect(refused.response.status).toBe(409);
    expect(refused.error).toMatchObject({ code: "INSUFFICIENT_BALANCE", type: "urn:lastmile:problem:insufficient-balance" });

    const postpaid = await resellerWithToken({ rate: 1_000n, type: "postpaid", openingBalance: 0n, collectionLimit: 1_500n });
    const p1 = await makeCustomer(db(), postpaid.reseller.id, postpaid.area.id);
    const p2 = await makeCustomer(db(), postpaid.reseller.id, postpaid.area.id);
    expect((await activate(postpaid, p1.id)).data?.outstandingAfter).toBe("10.00");
    const limited = await activate(postpaid, p2.id);
    expect(limited.response.status).toBe(409);
    expect(limited.error).toMatchObject({ code: "COLLECTION_LIMIT_REACHED" });
  });

  it("hostile bodies are refused with 422/413/415 and post nothing", async () => {
    const { token, reseller, area, pkg } = await resellerWithToken();
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const before = await counts();
    const post = (path: string, body: string, headers: Record<string, string> = {}) => rawCall("POST", path, { token, body, headers: { "Idempotency-Key": randomUUID(), ...headers } });
    const pay = `/customers/${customer.id}/payments`;
    const cases: [string, Promise<Response>, number][] = [
      ["number amount", post(pay, JSON.stringify({ amount: 12.5, method: "cash" })), 422],
      ["negative", post(pay, JSON.stringify({ amount: "-1.00", method: "cash" })), 422],
      ["zero", post(pay, JSON.stringify({ amount: "0", method: "cash" })), 422],
      ["too many decimals", post(pay, JSON.stringify({ amount: "0.001", method: "cash" })), 422],
      ["20 digits", post(pay, JSON.stringify({ amount: "99999999999999999999", method: "cash" })), 422],
      ["1e309", post(pay, JSON.stringify({ amount: "1e309", method: "cash" })), 422],
      ["unicode digits", post(pay, JSON.stringify({ amount: "١٢", method: "cash" })), 422],
      ["extra field", post(pay, JSON.stringify({ amount: "1.00", method: "cash", resellerId: randomUUID() })), 422],
      ["wrong type", post(`/customers/${customer.id}/activations`, JSON.stringify({ packageId: 42 })), 422],
      ["array body", post(`/customers/${customer.id}/activations`, JSON.stringify([pkg.id])), 422],
      ["not JSON", post(`/customers/${customer.id}/activations`, "{packageId:"), 422],
      ["form encoded", post(`/customers/${customer.id}/activations`, `packageId=${pkg.id}`, { "content-type": "application/x-www-form-urlencoded" }), 415],
      ["1 MB body", post("/customers", JSON.stringify({ username: "big", name: "x".repeat(1_000_000), areaId: area.id })), 413],
      ["100 kB name", post("/customers", JSON.stringify({ username: "big2", name: "x".repeat(60_000), areaId: area.id })), 422],
      ["NUL in a name", post("/customers", JSON.stringify({ username: "nul1", name: "a\u0000b", areaId: area.id })), 422],
      ["script in username", post("/customers", JSON.stringify({ username: "<script>alert(1)</script>", name: "x", areaId: area.id })), 422],
      ["bad key", post(pay, JSON.stringify({ amount: "1.00", method: "cash" }), { "Idempotency-Key": "x".repeat(300) }), 400],
    ];
    for (const [label, promise, expected] of cases) {
      const response = await promise;
      const body = await response.json();
      expect({ label, status: response.status }).toEqual({ label, status: expected });
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(JSON.stringify(body)).not.toMatch(/select |insert |stack|at .*\.ts/i);
      if (expected === 422 && label !== "not JSON" && label !== "array body") expect(Object.keys(body.fields ?? {}).length).toBeGreaterThan(0);
    }
    // NUL cannot be stored by PostgreSQL: a query value with one is a field message, not a database error.
    const nulQuery = await rawCall("GET", "/customers?q=a%00b", { token });
    expect(nulQuery.status).toBe(422);
    expect((await nulQuery.json()).fields).toHaveProperty("query");
    const extra = await (await post(pay, JSON.stringify({ amount: "1.00", method: "cash", resellerId: randomUUID() }))).json();
    expect(extra.fields).toEqual({ resellerId: "Unknown field." });
    expect(await counts()).toEqual(before);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After past the token's limit, with RateLimit headers on every answer", async () => {
    const { api } = await resellerWithToken({ rateLimit: 3 });
    // The budget is per fixed window (60 s by default): start well inside one, so the four requests share it.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoWindow));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push(await api.GET("/me"));
    expect(statuses.map((r) => r.response.status)).toEqual([200, 200, 200, 429]);
    expect(statuses.map((r) => r.response.headers.get("RateLimit-Remaining"))).toEqual(["2", "1", "0", "0"]);
    const limited = statuses[3]!.response;
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(statuses[3]!.error).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    // The budget lives in PostgreSQL: one row per token and window.
    const [row] = await db().execute<{ n: number }>(sql`select count(*)::int as n from api_rate_limits`);
    expect(row!.n).toBeGreaterThanOrEqual(1);
  });
});
