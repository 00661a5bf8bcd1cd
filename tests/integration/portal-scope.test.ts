/**
 * Scope: a reseller only ever reads and changes its own records.
 *
 * 1. Every portal query, run through a database handle that records each SQL
 *    statement, binds the reseller's id in every statement it sends (the
 *    filter is in SQL, not applied afterwards), and returns only that
 *    reseller's rows, for two resellers with look-alike data.
 * 2. Every command and lookup given another reseller's customer,
 *    subscription, payment, entry or area id is refused with the right code,
 *    and nothing at all changes in either reseller's books (table-driven).
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import * as schema from "@/db/schema";
import { activateSubscription, renewSubscription, type Actor } from "@/lib/billing";
import { listResellerAreas } from "@/lib/areas";
import { createCustomer, getCustomer, setCustomerStatus, updateCustomer } from "@/lib/portal/customer-commands";
import { customersCsv, listCustomers, parseCustomerSearch } from "@/lib/portal/customers";
import { getDashboard } from "@/lib/portal/dashboard";
import { activationQuote } from "@/lib/portal/quote";
import { collectCustomerPayment, collectionsCsv, getReceipt, listCollections, parseCollectionSearch } from "@/lib/portal/payments";
import { parseStatementSearch, statement, statementCsvChunks } from "@/lib/statement";
import { collectText } from "../support/streams";
import { daysFromNow, failureCode, makeArea, makeCustomer, makePackage, makeReseller, newKey, resellerActor } from "../support/factories";
import { db, testDb } from "../support/fresh-database";

type Side = {
  resellerId: string;
  actor: Actor;
  areaId: string;
  packageId: string;
  customerIds: string[];
  subscriptionId: string;
  paymentId: string;
  entryIds: number[];
};

let A: Side;
let B: Side;

/** A reseller with an area, a package, customers (one expiring soon), an activation and a collected payment. */
async function makeSide(sharedAreaId: string, label: string): Promise<Side> {
  const area = await makeArea(db());
  const pkg = await makePackage(db());
  const reseller = await makeReseller(db(), {
    areaIds: [area.id, sharedAreaId],
    rates: [{ packageId: pkg.id, rate: 1_000n }],
    openingBalance: 50_000n,
  });
  const actor = resellerActor(reseller.id);
  const customers = [
    await makeCustomer(db(), reseller.id, area.id, { name: `Same Name ${label}`, phone: "+880 1700-000000" }),
    await makeCustomer(db(), reseller.id, sharedAreaId, { name: `Same Name shared ${label}`, expiresAt: daysFromNow(2) }),
    await makeCustomer(db(), reseller.id, area.id, { name: `Never activated ${label}` }),
  ];
  const charged = await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customers[0]!.id, packageId: pkg.id, idempotencyKey: newKey() });
  const { payment } = await collectCustomerPayment(db(), actor, { resellerId: reseller.id, customerId: customers[0]!.id, amount: 700n, method: "cash", idempotencyKey: newKey() });
  const entries = (await db().execute(sql`select id from ledger_entries where reseller_id = ${reseller.id} order by id`)) as unknown as { id: number }[];
  return {
    resellerId: reseller.id,
    actor,
    areaId: area.id,
    packageId: pkg.id,
    customerIds: customers.map((c) => c.id),
    subscriptionId: charged.subscription.id,
    paymentId: payment.id,
    entryIds: entries.map((e) => Number(e.id)),
  };
}

beforeAll(async () => {
  const shared = await makeArea(db());
  A = await makeSide(shared.id, "A");
  B = await makeSide(shared.id, "B");
});

/** A handle on the same connection pool that records every statement and its parameters. */
function recordingDb() {
  const statements: { query: string; params: unknown[] }[] = [];
  const recorder = drizzle(testDb().sql, { schema, logger: { logQuery: (query, params) => statements.push({ query, params }) } });
  return { db: recorder as unknown as Db, statements };
}

/** Every query function of the portal (and the shared statement), run for one reseller; returns the ids it exposes. */
const queries: { name: string; run: (d: Db, side: Side) => Promise<string[]> }[] = [
  { name: "listCustomers", run: async (d, s) => (await listCustomers(d, s.resellerId, parseCustomerSearch({ perPage: "100" }))).rows.map((r) => r.id) },
  {
    name: "listCustomers (search + shared area + expiry)",
    run: async (d, s) => (await listCustomers(d, s.resellerId, parseCustomerSearch({ q: "Same Name", area: B.areaId === s.areaId ? undefined : undefined, expiry: "expiring" }))).rows.map((r) => r.id),
  },
  {
    name: "listCustomers (filtered by the other reseller's area)",
    run: async (d, s) => (await listCustomers(d, s.resellerId, parseCustomerSearch({ area: (s === A ? B : A).areaId }))).rows.map((r) => r.id),
  },
  {
    name: "customersCsv",
    run: async (d, s) => {
      const csv = await customersCsv(d, s.resellerId, parseCustomerSearch({}));
      const usernames = csv.trim().split(/\r?\n/).slice(1).map((l) => l.split(",")[0]);
      const rows = (await db().execute(sql`select id, username from customers`)) as unknown as { id: string; username: string }[];
      return rows.filter((r) => usernames.includes(r.username)).map((r) => r.id);
    },
  },
  { name: "listResellerAreas", run: async (d, s) => (await listResellerAreas(d, s.resellerId)).map((a) => a.id) },
  {
    name: "getDashboard",
    run: async (d, s) => {
      const dash = await getDashboard(d, s.resellerId);
      return [...dash.expiringSoon.rows.map((r) => r.id), ...dash.recentEntries.map((e) => String(e.id))];
    },
  },
  { name: "getCustomer (own)", run: async (d, s) => {
      const detail = await getCustomer(d, s.resellerId, s.customerIds[0]!);
      return [detail.customer.id, ...detail.subscriptions.map((x) => x.id), ...detail.payments.map((p) => p.id)];
    } },
  { name: "activationQuote (own)", run: async (d, s) => [(await activationQuote(d, s.resellerId, s.customerIds[1]!)).customer.id] },
  { name: "listCollections", run: async (d, s) => (await listCollections(d, s.resellerId, parseCollectionSearch({}))).rows.map((r) => r.id) },
  {
    name: "collectionsCsv",
    run: async (d, s) => {
      const csv = await collectionsCsv(d, s.resellerId, parseCollectionSearch({}));
      const receipts = csv.trim().split(/\r?\n/).slice(1).map((l) => Number(l.split(",")[0]!.replace("R-", "")));
      const rows = (await db().execute(sql`select id, receipt_number from customer_payments`)) as unknown as { id: string; receipt_number: number }[];
      return rows.filter((r) => receipts.includes(Number(r.receipt_number))).map((r) => r.id);
    },
  },
  { name: "getReceipt (own)", run: async (d, s) => [(await getReceipt(d, s.resellerId, s.paymentId)).id] },
  { name: "statement", run: async (d, s) => (await statement(d, s.resellerId, parseStatementSearch({ perPage: "100" }))).rows.map((r) => String(r.id)) },
  {
    name: "statement (cursor from the other reseller)",
    run: async (d, s) =>
      (await statement(d, s.resellerId, parseStatementSearch({ direction: "next", cursor: String(Math.max(...(s === A ? B : A).entryIds) + 1) }))).rows.map((r) => String(r.id)),
  },
  {
    name: "statementCsv",
    run: async (d, s) => (await collectText(statementCsvChunks(d, s.resellerId, parseStatementSearch({})))).trim().split("\r\n").slice(1).map((l) => l.split(",")[0]!),
  },
];

/** Every id a reseller owns (customers, subscriptions, payments, entries, areas). */
async function ownedIds(side: Side): Promise<Set<string>> {
  const rows = (await db().execute(sql`
    select id::text from customers where reseller_id = ${side.resellerId}
    union all select id::text from subscriptions where reseller_id = ${side.resellerId}
    union all select id::text from customer_payments where reseller_id = ${side.resellerId}
    union all select id::text from ledger_entries where reseller_id = ${side.resellerId}
    union all select area_id::text from reseller_areas where reseller_id = ${side.resellerId}`)) as unknown as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

describe("every portal query filters by the reseller in SQL", () => {
  for (const q of queries) {
    it(q.name, async () => {
      for (const [side, other] of [
        [A, B],
        [B, A],
      ] as const) {
        const { db: recording, statements } = recordingDb();
        const ids = await q.run(recording, side);
        const mine = await ownedIds(side);
        const theirs = await ownedIds(other);
        for (const id of ids) {
          // Areas can be shared; everything else must be this reseller's alone.
          expect(mine.has(id), `${q.name} returned ${id}`).toBe(true);
          if (!(id === side.areaId || (mine.has(id) && theirs.has(id)))) expect(theirs.has(id)).toBe(false);
        }
        expect(statements.length).toBeGreaterThan(0);
        for (const s of statements) {
          // Values may be nested (the list total passes its own query text and values as an array).
          const params = s.params.flat();
          const text = [s.query, ...params.filter((p) => typeof p === "string" && /\bselect\b/i.test(p))].join("\n");
          expect(params, `${q.name}: ${s.query}`).toContain(side.resellerId);
          expect(params).not.toContain(other.resellerId);
          expect(text).toMatch(/reseller_id"? =|"resellers"\."id" =|reseller_id = \$/);
        }
      }
    });
  }

  it("the other reseller's look-alike rows exist (the checks above are not vacuous)", async () => {
    const page = await listCustomers(db(), B.resellerId, parseCustomerSearch({ q: "Same Name" }));
    expect(page.total).toBe(2); // and A's two look-alikes are never in it
  });
});

/** Everything either reseller could have changed. */
async function snapshot() {
  const [row] = (await db().execute(sql`select
      (select json_agg(r order by r.id) from (select id, balance, status from resellers) r) as resellers,
      (select json_agg(c order by c.id) from customers c) as customers,
      (select count(*)::int from subscriptions) as subscriptions,
      (select count(*)::int from ledger_entries) as ledger_entries,
      (select count(*)::int from journal_lines) as journal_lines,
      (select count(*)::int from customer_payments) as customer_payments,
      (select count(*)::int from audit_log) as audit_log,
      (select count(*)::int from idempotency_keys) as idempotency_keys`)) as unknown as Record<string, unknown>[];
  return row!;
}

const form = ({ areaId }: { areaId: string }) => ({
  idempotencyKey: randomUUID(),
  username: `intruder-${randomUUID().slice(0, 8)}`,
  name: "Intruder",
  phone: null,
  address: null,
  areaId,
});

/** A acting on B's records (or as B), each refused with the code a user would see. */
const refusals: { name: string; code: string; run: () => Promise<unknown> }[] = [
  { name: "getCustomer: other's customer", code: "CUSTOMER_NOT_FOUND", run: () => getCustomer(db(), A.resellerId, B.customerIds[0]!) },
  { name: "activationQuote: other's customer", code: "CUSTOMER_NOT_FOUND", run: () => activationQuote(db(), A.resellerId, B.customerIds[0]!) },
  // A customer never activated, so the package is the first thing refused (the quote checks in the command's order).
  { name: "activationQuote: other's package", code: "PACKAGE_NOT_IN_SCOPE", run: () => activationQuote(db(), A.resellerId, A.customerIds[2]!, B.packageId) },
  {
    name: "createCustomer: other's area",
    code: "AREA_NOT_IN_SCOPE",
    run: () => createCustomer(db(), A.actor, { ...form({ areaId: B.areaId }), resellerId: A.resellerId }),
  },
  {
    name: "createCustomer: as the other reseller",
    code: "FORBIDDEN",
    run: () => createCustomer(db(), A.actor, { ...form({ areaId: B.areaId }), resellerId: B.resellerId }),
  },
  {
    name: "updateCustomer: other's customer",
    code: "CUSTOMER_NOT_FOUND",
    run: () => updateCustomer(db(), A.actor, { ...form({ areaId: A.areaId }), customerId: B.customerIds[0]!, resellerId: A.resellerId }),
  },
  {
    name: "updateCustomer: as the other reseller",
    code: "FORBIDDEN",
    run: () => updateCustomer(db(), A.actor, { ...form({ areaId: B.areaId }), customerId: B.customerIds[0]!, resellerId: B.resellerId }),
  },
  {
    name: "updateCustomer: own customer into the other's area",
    code: "AREA_NOT_IN_SCOPE",
    run: () => updateCustomer(db(), A.actor, { ...form({ areaId: B.areaId }), customerId: A.customerIds[0]!, resellerId: A.resellerId }),
  },
  {
    name: "setCustomerStatus: other's customer",
    code: "CUSTOMER_NOT_FOUND",
    run: () => setCustomerStatus(db(), A.actor, { resellerId: A.resellerId, customerId: B.customerIds[0]!, status: "suspended", reason: null }),
  },
  {
    name: "setCustomerStatus: as the other reseller",
    code: "FORBIDDEN",
    run: () => setCustomerStatus(db(), A.actor, { resellerId: B.resellerId, customerId: B.customerIds[0]!, status: "suspended", reason: null }),
  },
  {
    name: "activateSubscription: other's customer",
    code: "CUSTOMER_NOT_FOUND",
    run: () => activateSubscription(db(), A.actor, { resellerId: A.resellerId, customerId: B.customerIds[2]!, packageId: A.packageId, idempotencyKey: newKey() }),
  },
  {
    name: "activateSubscription: other's package",
    code: "PACKAGE_NOT_IN_SCOPE",
    run: () => activateSubscription(db(), A.actor, { resellerId: A.resellerId, customerId: A.customerIds[2]!, packageId: B.packageId, idempotencyKey: newKey() }),
  },
  {
    name: "activateSubscription: as the other reseller",
    code: "FORBIDDEN",
    run: () => activateSubscription(db(), A.actor, { resellerId: B.resellerId, customerId: B.customerIds[1]!, packageId: B.packageId, idempotencyKey: newKey() }),
  },
  {
    name: "renewSubscription: other's subscription",
    code: "SUBSCRIPTION_NOT_FOUND",
    run: () => renewSubscription(db(), A.actor, { resellerId: A.resellerId, subscriptionId: B.subscriptionId, idempotencyKey: newKey() }),
  },
  {
    name: "renewSubscription: as the other reseller",
    code: "FORBIDDEN",
    run: () => renewSubscription(db(), A.actor, { resellerId: B.resellerId, subscriptionId: B.subscriptionId, idempotencyKey: newKey() }),
  },
  {
    name: "collectCustomerPayment: other's customer",
    code: "CUSTOMER_NOT_FOUND",
    run: () => collectCustomerPayment(db(), A.actor, { resellerId: A.resellerId, customerId: B.customerIds[0]!, amount: 100n, method: "cash", idempotencyKey: newKey() }),
  },
  {
    name: "collectCustomerPayment: as the other reseller",
    code: "FORBIDDEN",
    run: () => collectCustomerPayment(db(), A.actor, { resellerId: B.resellerId, customerId: B.customerIds[0]!, amount: 100n, method: "cash", idempotencyKey: newKey() }),
  },
  { name: "getReceipt: other's payment", code: "NOT_FOUND", run: () => getReceipt(db(), A.resellerId, B.paymentId) },
];

describe("another reseller's ids are refused and nothing changes", () => {
  for (const r of refusals) {
    it(r.name, async () => {
      const before = await snapshot();
      expect(await failureCode(r.run())).toBe(r.code);
      expect(await snapshot()).toEqual(before);
    });
  }
});
