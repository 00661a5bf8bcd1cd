/**
 * Hostile input, table-driven over the registry of every server action and
 * route handler (tests/support/surface.ts, kept complete by
 * tests/unit/surface-registry.test.ts).
 *
 * Each action is called as Next calls it (a FormData through guardedAction),
 * signed out, with the wrong role, without its permission, with another
 * reseller's ids, and with one field at a time replaced by a hostile value:
 * negative, zero, NaN, 1e309, 0.001, 20 digits, Arabic-Indic digits, empty,
 * whitespace, 100 kB, a NUL byte, HTML, SQL-looking text, a repeated field (an
 * array where a string belongs), a missing field, a forged idempotency key.
 * Every one must come back as a typed refusal (a field message on that very
 * field for a validation failure), with nothing changed in any table (every
 * table's content hashed before and after) and nothing logged as an
 * unexpected error. The registry's valid forms are run last, to show that
 * each refusal was the hostile value's doing.
 *
 * Routes get the same: 401/403 for the wrong caller, hostile query values
 * and ids answered 200 or a 4xx problem (never a 500), hostile bodies on the
 * webhook and the sign-in route refused.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { onlinePayments, resellers } from "@/db/schema";
import type { SessionUser } from "@/lib/auth/session-user";
import { activateSubscription, addBalance } from "@/lib/billing";
import type { Result } from "@/lib/errors";
import { issueApiToken } from "@/lib/api/tokens";
import { allPermissions } from "@/lib/permissions";
import { collectCustomerPayment } from "@/lib/portal/payments";
import { adminActor, makeArea, makeCustomer, makePackage, makeReseller, makeUser, newKey, resellerActor } from "../support/factories";
import { db, testDb } from "../support/fresh-database";
import { actionModules, actions, routes, type ActionEntry, type Field, type FieldKind, type Side, type World } from "../support/surface";

process.env.LASTMILE_PAYMENTS_SANDBOX = "1";
process.env.AUTH_SECRET ??= "test-secret-for-the-hostile-input-test-0123456789";

const mocked = vi.hoisted(() => {
  class Redirect extends Error {
    constructor(readonly url: string) {
      super(`NEXT_REDIRECT ${url}`);
    }
  }
  return { user: null as unknown, Redirect };
});

vi.mock("@/app/_server/session", () => ({
  currentUser: async () => mocked.user,
  requestAddress: async () => "203.0.113.7",
  requireAdmin: async () => mocked.user,
  requireReseller: async () => mocked.user,
}));
vi.mock("next/cache", () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw new mocked.Redirect(url);
  },
  forbidden: () => {
    throw new Error("forbidden() in an action");
  },
  notFound: () => {
    throw new Error("notFound() in an action");
  },
}));
vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: () => testDb().db }));
// The sandbox checkout's buttons post signed events to the webhook over HTTP; here they post nowhere.
vi.mock("@/lib/payments/sandbox", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/payments/sandbox")>()),
  deliverSandboxEvents: async () => [],
}));

// ---------------------------------------------------------------------------
// The world: three resellers with customers, charges, payments, online payments
// ---------------------------------------------------------------------------

let w: World;
const sessions = {} as { admin: SessionUser; A: SessionUser; AWithout: SessionUser };

async function makeSide(type: "prepaid" | "postpaid"): Promise<Side & { user: { id: string } }> {
  const area = await makeArea(db());
  const pkg = await makePackage(db());
  const reseller = await makeReseller(db(), { type, collectionLimit: 100_000n, areaIds: [area.id], rates: [{ packageId: pkg.id, rate: 1_000n }], openingBalance: 100_000n });
  await db().update(resellers).set({ permissions: allPermissions }).where(eq(resellers.id, reseller.id));
  const actor = resellerActor(reseller.id);
  const customer = await makeCustomer(db(), reseller.id, area.id);
  const spare = await makeCustomer(db(), reseller.id, area.id);
  const charged = await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
  const usedKey = newKey();
  const { payment } = await collectCustomerPayment(db(), actor, { resellerId: reseller.id, customerId: customer.id, amount: 500n, method: "cash", idempotencyKey: usedKey });
  const credit = await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 100n, method: "cash", idempotencyKey: newKey() });
  const user = await makeUser(db(), { role: "reseller", resellerId: reseller.id });
  const { record: token } = await issueApiToken(db(), adminActor, { userId: user.id, name: "hostile-input token" });
  const onlinePaymentKey = newKey();
  const [online] = await db()
    .insert(onlinePayments)
    .values({ resellerId: reseller.id, amount: 2_000n, currency: "USD", gatewayMode: "sandbox", startedByLabel: "test", idempotencyKey: onlinePaymentKey })
    .returning();
  return {
    resellerId: reseller.id,
    areaId: area.id,
    packageId: pkg.id,
    customerId: customer.id,
    spareCustomerId: spare.id,
    subscriptionId: charged.subscription.id,
    paymentId: payment.id,
    onlinePaymentId: online!.id,
    entryId: Number(credit.entry.id),
    userId: user.id,
    tokenId: token.id,
    usedKey,
    onlinePaymentKey,
    user,
  };
}

beforeAll(async () => {
  // Every token route is sent forged tokens from one (unknown) address; the throttle that follows has its own test (api-hardening).
  process.env.LASTMILE_API_BAD_TOKEN_LIMIT = "100000";
  const A = await makeSide("prepaid");
  const B = await makeSide("prepaid");
  const C = await makeSide("prepaid");
  const outside = await makePackage(db());
  const { createRouter } = await import("@/lib/radius/routers");
  const router = await createRouter(db(), adminActor, { name: "Hostile test router", address: "192.0.2.10", type: "mikrotik", coaPort: 3799, description: null, secret: "a-long-shared-secret" });
  w = { A, B, C, packageOutOfScope: outside.id, routerId: router.id };
  const { loadSessionUser } = await import("@/lib/auth/session-user");
  const adminUser = await makeUser(db(), { role: "admin" });
  sessions.admin = (await loadSessionUser(db(), adminUser.id))!;
  sessions.A = (await loadSessionUser(db(), A.user.id))!;
  sessions.AWithout = { ...sessions.A, permissions: [] };
});

// ---------------------------------------------------------------------------
// What changed: every table's rows, hashed
// ---------------------------------------------------------------------------

let tables: string[] = [];
async function snapshot(): Promise<Record<string, string>> {
  if (!tables.length) {
    const rows = await testDb().sql<{ name: string }[]>`
      select format('%I.%I', table_schema, table_name) as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`;
    tables = rows.map((r) => r.name);
  }
  const query = tables.map((t) => `select '${t}' as t, count(*)::text || ':' || md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${t} x`).join(" union all ");
  const rows = await testDb().sql.unsafe<{ t: string; h: string }[]>(query);
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}
function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after).filter((t) => before[t] !== after[t]);
}

const errorLog = vi.spyOn(console, "error");
afterAll(() => errorLog.mockRestore());
/** console.error calls since the last look, as text. */
function loggedErrors(): string[] {
  const calls = errorLog.mock.calls.map((args) => args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(" "));
  errorLog.mockClear();
  return calls;
}

// ---------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------

const MISSING: unique symbol = Symbol("missing");
type Value = string | string[] | typeof MISSING;
type Case = { label: string; value: Value; key?: string };

const big = "x".repeat(100_000);
const numberish: Case[] = [
  { label: "negative", value: "-1" },
  { label: "negative cents", value: "-0.01" },
  { label: "zero", value: "0" },
  { label: "NaN", value: "NaN" },
  { label: "Infinity", value: "Infinity" },
  { label: "1e309", value: "1e309" },
  { label: "exponent", value: "1e3" },
  { label: "hex", value: "0x10" },
  { label: "0.001", value: "0.001" },
  { label: "20 digits", value: "12345678901234567890" },
  { label: "Arabic-Indic digits", value: "١٢٣" },
  { label: "fullwidth digits", value: "１２３" },
  { label: "empty", value: "" },
  { label: "whitespace", value: "   " },
  { label: "tab and newline", value: "\t\n" },
];
const junk: Case[] = [
  { label: "100 kB", value: big },
  { label: "HTML", value: "<script>alert(1)</script>" },
  { label: "SQL", value: "' OR '1'='1'; DROP TABLE resellers; --" },
  { label: "NUL byte", value: "a\u0000b" },
  { label: "null", value: "null" },
  { label: "undefined", value: "undefined" },
  { label: "object", value: "[object Object]" },
];
const missing: Case = { label: "missing", value: MISSING };
const textEmpties: Case[] = [
  { label: "empty", value: "" },
  { label: "whitespace", value: "   " },
  { label: "tab and newline", value: "\t\n" },
];
const textBad: Case[] = [
  { label: "100 kB", value: big },
  { label: "100 kB after a valid start", value: `Name ${big}` },
  { label: "NUL byte", value: "Name\u0000with a NUL" },
];
const uuids: Case[] = [
  { label: "nil uuid", value: "00000000-0000-0000-0000-000000000000" },
  { label: "unknown uuid", value: randomUUID() },
  { label: "uuid with SQL after it", value: `${randomUUID()}' OR '1'='1` },
];
const money: Case[] = [
  ...numberish,
  ...junk,
  { label: "two points", value: "10.00.00" },
  { label: "currency sign", value: "$10" },
  { label: "currency code", value: "10 USD" },
  { label: "plus sign", value: "+5" },
  { label: "bad grouping", value: "1,0000" },
  { label: "decimal comma", value: "10,5" },
  { label: "space grouping", value: "1 000" },
  { label: "past the largest amount", value: "10000000000000.01" },
];
const withoutValues = (cases: Case[], ...labels: string[]) => cases.filter((c) => !labels.includes(c.label));

/** The hostile values for a field of a kind; `scoped` adds another reseller's ids of that kind. */
function casesFor(kind: FieldKind, world: World, entry: ActionEntry): Case[] {
  switch (kind) {
    case "id":
      return [...numberish, ...junk, ...uuids, missing];
    case "optionalId":
      // An optional id narrows a query-like command ("check this one"): an unknown one finds nothing to do.
      return [...withoutValues(numberish, "empty"), ...junk, ...uuids.filter((c) => c.label === "uuid with SQL after it")];
    case "key":
      return [
        ...numberish,
        ...junk,
        missing,
        ...(entry.forgedKeys?.(world) ?? [
          { label: "another reseller's key", value: world.B.usedKey },
          { label: "a key this reseller already used for another command", value: world.A.usedKey },
        ]).map((c) => ({ ...c, label: `forged: ${c.label}` })),
      ];
    case "money":
      return [...money, missing];
    case "moneyOrZero":
      return [...withoutValues(money, "zero"), missing];
    case "optionalMoney":
      return withoutValues(money, "zero", "empty", "whitespace", "tab and newline");
    case "count":
    case "optionalCount": {
      const cases = [...numberish, ...junk, { label: "decimal", value: "1.5" }, { label: "signed", value: "+12" }];
      // An optional count left empty takes its default.
      return kind === "count" ? [...cases, missing] : withoutValues(cases, "empty", "whitespace", "tab and newline");
    }
    case "choice":
      return [...numberish, ...junk, { label: "upper case", value: "ADMIN" }, { label: "trailing space", value: "active " }, missing];
    case "optionalChoice":
      return [...numberish, ...junk, { label: "upper case", value: "ADMIN" }];
    case "text":
      return [...textEmpties, ...textBad, missing];
    case "optionalText":
      return textBad;
    case "username":
      // "null" and "undefined" are fine usernames.
      return [...textEmpties, ...textBad, ...withoutValues(junk, "null", "undefined"), { label: "too short", value: "ab" }, { label: "Arabic-Indic digits", value: "١٢٣٤" }, missing];
    case "email":
    case "optionalEmail": {
      const cases: Case[] = [
        { label: "not an email", value: "not-an-email" },
        { label: "100 kB email", value: `${"a".repeat(100_000)}@example.com` },
        { label: "255-character email", value: `${"a".repeat(243)}@example.com` },
        { label: "HTML", value: "<script>@example.com" },
        { label: "NUL byte", value: "a\u0000b@example.com" },
      ];
      return kind === "email" ? [...cases, ...textEmpties, missing] : cases;
    }
    case "password":
      return [{ label: "empty", value: "" }, { label: "too short", value: "short" }, { label: "100 kB", value: big }, missing];
    case "optionalPassword":
      // Empty or absent keeps the stored one.
      return [{ label: "too short", value: "short" }, { label: "100 kB", value: big }];
    case "optionalDate":
      return [
        { label: "no such day", value: "2026-02-30" },
        { label: "the future", value: "9999-12-31" },
        { label: "day first", value: "31/01/2026" },
        { label: "unpadded", value: "2026-1-1" },
        { label: "Arabic-Indic digits", value: "٢٠٢٦-٠١-٠١" },
        ...junk,
        ...withoutValues(numberish, "empty"),
      ];
    case "optionalFutureDate":
      return [
        { label: "no such day", value: "2099-02-30" },
        { label: "the past", value: "2000-01-01" },
        { label: "day first", value: "31/01/2099" },
        { label: "Arabic-Indic digits", value: "٢٠٩٩-٠١-٠١" },
        ...junk,
        ...withoutValues(numberish, "empty", "whitespace", "tab and newline"),
      ];
    case "ids":
      return [
        { label: "not a uuid", value: ["not-a-uuid"] },
        { label: "100 kB", value: [big] },
        { label: "SQL", value: ["' OR '1'='1"] },
        { label: "an area that does not exist", value: [randomUUID()] },
      ];
    case "checkbox":
    case "permissions":
      return [];
  }
}

function scopedCases(field: Field, world: World): Case[] {
  if (typeof field === "string") return [];
  const other = world.B;
  switch (field.scoped) {
    case "customer":
      return [{ label: "another reseller's customer", value: other.customerId }];
    case "subscription":
      return [{ label: "another reseller's subscription", value: other.subscriptionId }];
    case "payment":
      return [{ label: "another reseller's payment", value: other.paymentId }];
    case "onlinePayment":
      return [{ label: "another reseller's online payment", value: other.onlinePaymentId }];
    case "area":
      return [{ label: "another reseller's area", value: other.areaId }];
    case "token":
      return [{ label: "another reseller's API token", value: other.tokenId }];
    case "package":
      return [
        { label: "another reseller's package", value: other.packageId },
        { label: "a package in nobody's scope", value: world.packageOutOfScope },
      ];
  }
}

const kindOf = (field: Field): FieldKind => (typeof field === "string" ? field : field.kind);

// ---------------------------------------------------------------------------
// Calling an action as Next does
// ---------------------------------------------------------------------------

type Action = (previous: Result<unknown> | null, formData: FormData) => Promise<Result<unknown>>;
type Outcome = Result<unknown> | { ok: true; redirectedTo: string };

function formData(values: Record<string, Value>, repeated?: string): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) {
    if (value === MISSING) continue;
    if (Array.isArray(value)) for (const v of value) data.append(`${name}[]`, v);
    else data.append(name, value);
    if (name === repeated && typeof value === "string") data.append(name, value);
  }
  return data;
}

async function call(action: Action, user: SessionUser | null, data: FormData): Promise<Outcome> {
  mocked.user = user;
  try {
    return await action(null, data);
  } catch (error) {
    if (error instanceof mocked.Redirect) return { ok: true, redirectedTo: error.url };
    throw error;
  }
}

const validationCodes = new Set(["VALIDATION_FAILED", "INVALID_AMOUNT"]);

/** Why an outcome is not a proper refusal of a hostile value in `field` (null when it is). */
function notARefusal(outcome: Outcome, field: string | null): string | null {
  if (outcome.ok) return `accepted (${JSON.stringify(outcome, (_k, v) => (typeof v === "bigint" ? String(v) : v)).slice(0, 200)})`;
  const { code, message, fields } = outcome.error;
  if (code === "INTERNAL") return `INTERNAL error`;
  if (typeof message !== "string" || message.length === 0) return `${code} without a message`;
  if (message.length > 300) return `${code} with a ${message.length}-character message (it echoes the input)`;
  if (field && validationCodes.has(code) && !fields?.[field]) return `${code} without a message on "${field}" (fields: ${JSON.stringify(fields)})`;
  return null;
}

const userFor = (entry: ActionEntry) => (entry.access.role === "admin" ? sessions.admin : sessions.A);
const actionNames = Object.keys(actions);

async function load(name: string): Promise<Action> {
  const [file, exported] = name.split("#") as [string, string];
  const module = await actionModules[file]!();
  const action = module[exported];
  if (typeof action !== "function") throw new Error(`${name} is not a function`);
  return action as Action;
}

describe("every server action refuses hostile input, changing nothing", () => {
  it.each(actionNames)("%s", async (name) => {
    const entry = actions[name]!;
    const action = await load(name);
    const problems: string[] = [];
    const valid = () => entry.valid(w) as Record<string, Value>;
    loggedErrors();

    // Who is calling.
    const before = await snapshot();
    const callers: [string, SessionUser | null, string][] = [
      ["signed out", null, "UNAUTHENTICATED"],
      ["the wrong role", entry.access.role === "admin" ? sessions.A : sessions.admin, "FORBIDDEN"],
    ];
    if (entry.access.role === "reseller") callers.push(["without the permission", sessions.AWithout, "FORBIDDEN"]);
    for (const [label, user, code] of callers) {
      const outcome = await call(action, user, formData(valid()));
      if (outcome.ok || outcome.error.code !== code) problems.push(`${label}: expected ${code}, got ${outcome.ok ? "ok" : outcome.error.code}`);
    }
    // An empty form, and one with only junk fields.
    for (const [label, values] of [
      ["an empty form", {}],
      ["only unknown fields", { __proto__: "x", constructor: "y", $ACTION_ID_x: "z", "rate:": "1" }],
    ] as const) {
      const outcome = await call(action, userFor(entry), formData(values as Record<string, Value>));
      const why = Object.keys(entry.fields).some((f) => ["id", "key", "money", "moneyOrZero", "count", "choice", "text", "username", "email", "password"].includes(kindOf(entry.fields[f]!)))
        ? notARefusal(outcome, null)
        : null;
      if (why) problems.push(`${label}: ${why}`);
    }

    // One field at a time.
    for (const [fieldName, field] of Object.entries(entry.fields)) {
      const base = valid();
      const dynamic = fieldName.includes("<");
      const name = dynamic ? Object.keys(base).find((k) => k.startsWith(fieldName.slice(0, fieldName.indexOf("<"))))! : fieldName;
      const cases = [...casesFor(kindOf(field), w, entry), ...scopedCases(field, w)];
      if (dynamic) cases.push({ label: "a name naming no record", value: "5.00", key: `${fieldName.slice(0, fieldName.indexOf("<"))}${randomUUID()}` });
      for (const hostile of cases) {
        const values: Record<string, Value> = { ...base, [hostile.key ?? name]: hostile.value };
        const why = notARefusal(await call(action, userFor(entry), formData(values)), hostile.key ? null : name);
        if (why) problems.push(`${fieldName} = ${hostile.label}: ${why}`);
      }
      const kind = kindOf(field);
      if (kind !== "checkbox" && kind !== "permissions" && kind !== "ids" && !dynamic && typeof base[name] === "string") {
        const why = notARefusal(await call(action, userFor(entry), formData(base, name)), name);
        if (why) problems.push(`${fieldName} given twice: ${why}`);
      }
    }
    // Refusals only ever add nothing, so one comparison covers every case above (a change names its tables).
    const changed = changedTables(before, await snapshot());
    if (changed.length) problems.push(`the hostile calls changed ${changed.join(", ")}`);

    const errors = loggedErrors();
    if (errors.length) problems.push(...errors.map((e) => `logged: ${e.slice(0, 300)}`));
    expect(problems).toEqual([]);
  });
});

describe("the registry's valid forms are accepted (so each refusal above was the hostile value's doing)", () => {
  it.each(actionNames)("%s", async (name) => {
    const entry = actions[name]!;
    const outcome = await call(await load(name), userFor(entry), formData(entry.valid(w) as Record<string, Value>));
    expect(outcome, JSON.stringify(outcome, (_k, v) => (typeof v === "bigint" ? String(v) : v))).toMatchObject({ ok: true });
    expect(loggedErrors()).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

async function loadRoute(name: string): Promise<Handler> {
  const [file, method] = name.split("#") as [string, string];
  return (await import(/* @vite-ignore */ path.resolve(import.meta.dirname, "../..", file)))[method] as Handler;
}

async function request(name: string, user: SessionUser | null, init: { path?: string; query?: Record<string, string>; params?: Record<string, string | string[]>; method?: string; headers?: HeadersInit; body?: BodyInit } = {}) {
  const entry = routes[name]!;
  const url = new URL(init.path ?? entry.path(w), "http://localhost:3000");
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  mocked.user = user;
  const { NextRequest } = await import("next/server");
  const method = init.method ?? name.split("#")[1]!;
  const req = new NextRequest(url, { method, headers: init.headers, body: init.body, ...(init.body ? { duplex: "half" } : {}) } as ConstructorParameters<typeof NextRequest>[1]);
  const response = await (await loadRoute(name))(req, { params: Promise.resolve(init.params ?? entry.params?.(w) ?? {}) });
  await response.arrayBuffer(); // read it all: a stream that breaks half-way is a failure too
  return response;
}

/** Every query parameter name any list or export reads. */
const queryNames = ["q", "page", "perPage", "sort", "dir", "order", "from", "to", "status", "area", "reseller", "resellerId", "kind", "cursor", "direction", "method", "expiry", "type", "source", "actor", "action", "customer", "mode", "bucket"];
const queryValues: Case[] = [
  ...withoutValues(numberish, "negative cents", "Infinity", "exponent", "fullwidth digits", "tab and newline"),
  ...withoutValues(junk, "null", "undefined"),
  { label: "path", value: "../../etc/passwd" },
  { label: "no such day", value: "2026-02-30" },
  { label: "bad date", value: "9999-99-99" },
];

describe("every route handler refuses the wrong caller and hostile input, changing nothing", () => {
  const guarded = Object.entries(routes).filter(([, e]) => e.access !== "public" && e.access !== "token");
  const tokenRoutes = Object.entries(routes).filter(([, e]) => e.access === "token");

  it.each(tokenRoutes.map(([name]) => name))("%s answers 401 without a real token, changing nothing", async (name) => {
    const before = await snapshot();
    loggedErrors();
    const method = name.split("#")[1]!;
    const body = method === "GET" ? undefined : JSON.stringify({ amount: "10.00", name: "x" });
    const statuses: Record<string, number> = {};
    for (const [label, authorization] of [
      ["no token", undefined],
      ["a forged token", `Bearer lm_live_${"a".repeat(40)}`],
      ["a session cookie's worth of junk", "Bearer ' OR '1'='1"],
      ["another scheme", "Basic YWRtaW5AZXhhbXBsZS5jb206YWRtaW4tZGVtby1wYXNz"],
    ] as const) {
      const headers: Record<string, string> = { "content-type": "application/json", "idempotency-key": randomUUID() };
      if (authorization) headers.authorization = authorization;
      const response = await request(name, sessions.admin, { headers, body });
      statuses[label] = response.status;
      expect(response.headers.get("content-type"), label).toBe("application/problem+json");
    }
    expect(statuses).toEqual({ "no token": 401, "a forged token": 401, "a session cookie's worth of junk": 401, "another scheme": 401 });
    expect(loggedErrors()).toEqual([]);
    // Only the per-address count of failed token checks moves (that is how guessing is throttled).
    expect(changedTables(before, await snapshot())).toEqual(["public.api_auth_failures"]);
  });

  it.each(guarded.map(([name]) => name))("%s", async (name) => {
    const entry = routes[name]!;
    const access = entry.access as Exclude<typeof entry.access, "public" | "token">;
    const before = await snapshot();
    loggedErrors();
    const problems: string[] = [];
    const expectStatus = async (label: string, response: Promise<Response>, allowed: (status: number) => boolean) => {
      const r = await response;
      if (!allowed(r.status)) problems.push(`${label}: status ${r.status}`);
      if (r.status >= 400 && r.headers.get("content-type") !== "application/problem+json") problems.push(`${label}: a ${r.status} that is not problem+json`);
    };
    const owner = access.role === "admin" ? sessions.admin : sessions.A;
    await expectStatus("signed out", request(name, null), (s) => s === 401);
    await expectStatus("wrong role", request(name, access.role === "admin" ? sessions.A : sessions.admin), (s) => s === 403);
    if (access.role === "reseller") await expectStatus("without the permission", request(name, sessions.AWithout), (s) => s === 403);
    await expectStatus("the owner, no query", request(name, owner), (s) => s === 200);
    for (const hostile of queryValues) {
      const query = Object.fromEntries(queryNames.map((q) => [q, hostile.value as string]));
      await expectStatus(`query = ${hostile.label}`, request(name, owner, { query }), (s) => s === 200 || (s >= 400 && s < 500));
    }
    if (entry.params) {
      for (const hostile of [...numberish, ...junk, ...uuids]) {
        const id = hostile.value as string;
        await expectStatus(`id = ${hostile.label}`, request(name, owner, { path: `/admin/resellers/${encodeURIComponent(id)}/statement/export`, params: { id } }), (s) => s >= 400 && s < 500);
      }
    }
    const errors = loggedErrors();
    if (errors.length) problems.push(...errors.map((e) => `logged: ${e.slice(0, 300)}`));
    const changed = changedTables(before, await snapshot());
    if (changed.length) problems.push(`changed ${changed.join(", ")}`);
    expect(problems).toEqual([]);
  });

  it("home sends a signed-out visitor to sign-in and each role to its area", async () => {
    const name = "app/home/route.ts#GET";
    expect((await request(name, null)).headers.get("location")).toBe("http://localhost:3000/login");
    expect((await request(name, sessions.admin)).headers.get("location")).toBe("http://localhost:3000/admin");
    expect((await request(name, sessions.A)).headers.get("location")).toBe("http://localhost:3000/portal");
  });

  it("the webhook refuses hostile bodies (unsigned, forged signature, broken JSON, NUL, 100 kB, past the limit) with 4xx, crediting nothing", async () => {
    const name = "app/api/payments/stripe/webhook/route.ts#POST";
    const { WEBHOOK_MAX_BYTES } = await import("@/lib/payments/webhook");
    const before = await snapshot();
    loggedErrors();
    const bodies: [string, string, Record<string, string>][] = [
      ["empty, unsigned", "", {}],
      ["broken JSON, unsigned", "{", {}],
      ["an event, forged signature", JSON.stringify({ id: "evt_x", type: "checkout.session.completed", data: { object: {} } }), { "stripe-signature": "t=1,v1=00" }],
      ["a signature header of junk", "{}", { "stripe-signature": "' OR 1=1 --" }],
      ["100 kB of junk", big, { "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}` }],
      ["past the limit", "x".repeat(WEBHOOK_MAX_BYTES + 1), {}],
      ["a Content-Length lie", "x".repeat(WEBHOOK_MAX_BYTES + 1), { "content-length": "10" }],
    ];
    const statuses: Record<string, number> = {};
    for (const [label, body, headers] of bodies) statuses[label] = (await request(name, null, { body, headers: { "content-type": "application/json", ...headers } })).status;
    expect(Object.values(statuses).every((s) => s >= 400 && s < 500), JSON.stringify(statuses)).toBe(true);
    expect(statuses["past the limit"]).toBe(413);
    expect(statuses["a Content-Length lie"]).toBe(413);
    expect(loggedErrors()).toEqual([]);
    expect(changedTables(before, await snapshot())).toEqual([]);
  });

  it("the sign-in route refuses a body over its limit, JSON and junk before next-auth (and the database)", async () => {
    const name = "app/api/auth/[...nextauth]/route.ts#POST";
    const before = await snapshot();
    loggedErrors();
    const form = { "content-type": "application/x-www-form-urlencoded" };
    expect((await request(name, null, { body: `email=a&password=${"x".repeat(9_000)}`, headers: form })).status).toBe(413);
    expect((await request(name, null, { body: '{"email":', headers: { "content-type": "application/json" } })).status).toBe(415);
    expect((await request(name, null, { body: "email=a", headers: { ...form, "content-length": "99999999999999999999" } })).status).toBe(413);
    expect(loggedErrors()).toEqual([]);
    expect(changedTables(before, await snapshot())).toEqual([]);
  });
});
