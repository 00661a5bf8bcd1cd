import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { drizzle } from "drizzle-orm/postgres-js";
import { connect, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { withDatabase } from "@/db/embedded";
import { accountsReceivable } from "@/lib/receivables";
import { checkInvariants } from "@/lib/billing/invariants";
import { DEMO_HISTORY_DAYS, hasData, seedDemo, type DemoSummary } from "@/lib/demo";
import { installTimeZone } from "@/lib/config";
import { calendarDayIn } from "@/lib/dates";
import { verifyPassword } from "@/lib/auth/password";
import { db, testDatabaseUrl } from "../support/fresh-database";
import { TEMPLATE_DB } from "../support/global-postgres";

type Row = Record<string, unknown>;
const rows = async (query: ReturnType<typeof sql>) => (await db().execute(query)) as unknown as Row[];
const one = async (query: ReturnType<typeof sql>) => (await rows(query))[0]!;

describe("demo seed: a quarter of history", () => {
  let summary: DemoSummary;
  const now = new Date();

  it("seeds an empty database once, in a bounded number of statements, with the books sound", async () => {
    expect(await hasData(db())).toBe(false);
    // Its own connection, counting every statement the seed sends: the work is a few thousand short round trips.
    let statements = 0;
    const counted = postgres(testDatabaseUrl(), { max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt }, debug: () => void statements++ });
    try {
      summary = await seedDemo(drizzle(counted, { schema }), now);
    } finally {
      await counted.end();
    }
    // The work is pinned by the statement count (about 7,200; its time, 4–9 s here, is for a benchmark, not a test).
    expect(statements).toBeLessThan(8_000);
    // The seed's simulated clock is gone: the real one is back.
    expect(new Date().getTime()).toBeGreaterThan(now.getTime());
    expect(await hasData(db())).toBe(true);
    expect(await checkInvariants(db())).toEqual([]);
  });

  it("has several resellers in several areas and a few hundred customers", async () => {
    const counts = await one(sql`select
      (select count(*)::int from resellers) as resellers,
      (select count(distinct area_id)::int from reseller_areas) as areas,
      (select count(*)::int from customers) as customers,
      (select count(distinct area_id)::int from customers) as customer_areas`);
    expect(counts.resellers).toBeGreaterThanOrEqual(3);
    expect(counts.resellers).toBeLessThanOrEqual(5);
    expect(counts.areas).toBeGreaterThanOrEqual(5);
    expect(counts.customers).toBeGreaterThanOrEqual(200);
    expect(counts.customer_areas).toBeGreaterThanOrEqual(5);
    expect(summary.customers).toBe(counts.customers);
  });

  it("spreads 90 days of every kind of posting, dated on the days they belong to", async () => {
    const zone = installTimeZone();
    const spread = await one(sql`select
      count(distinct (created_at at time zone ${zone})::date)::int as days,
      min(created_at) as first, max(created_at) as last,
      count(*) filter (where kind = 'activation')::int as activations,
      count(*) filter (where kind = 'renewal')::int as renewals,
      count(*) filter (where kind = 'balance_added')::int as balance_added,
      count(*) filter (where kind = 'cash_received')::int as cash_received,
      count(*) filter (where kind = 'online_payment')::int as online_payments,
      count(*) filter (where kind = 'reversal')::int as reversals
      from ledger_entries`);
    expect(spread.days).toBeGreaterThanOrEqual(80);
    const firstDay = calendarDayIn(new Date(spread.first as string), zone);
    const lastDay = calendarDayIn(new Date(spread.last as string), zone);
    // Day 0 is 89 days before today; the last entry is from the last hours (today's are squeezed before now).
    expect((Date.parse(calendarDayIn(now, zone)) - Date.parse(firstDay)) / 86_400_000).toBe(DEMO_HISTORY_DAYS - 1);
    expect(new Date(spread.last as string).getTime()).toBeLessThanOrEqual(now.getTime());
    expect(new Date(spread.last as string).getTime()).toBeGreaterThan(now.getTime() - 86_400_000);
    expect(lastDay <= calendarDayIn(now, zone)).toBe(true);
    expect(spread.activations).toBeGreaterThanOrEqual(100);
    expect(spread.renewals).toBeGreaterThanOrEqual(100);
    expect(spread.balance_added).toBeGreaterThanOrEqual(3);
    expect(spread.cash_received).toBeGreaterThanOrEqual(5);
    expect(spread.online_payments).toBeGreaterThanOrEqual(3);
    expect(spread.reversals).toBe(1);

    // The journal, the audit trail and the subscriptions carry the same dates as their entries.
    const mismatched = await one(sql`select
      (select count(*)::int from ledger_entries l join journal_entries j on j.ledger_entry_id = l.id where j.created_at <> l.created_at) as journal,
      (select count(*)::int from ledger_entries l join audit_log a on a.target_type = 'ledger_entry' and a.target_id = l.id::text where a.created_at <> l.created_at) as audit,
      (select count(*)::int from ledger_entries l join subscriptions s on s.id = l.subscription_id where l.kind in ('activation', 'renewal') and s.created_at <> l.created_at) as subscriptions,
      (select count(*)::int from ledger_entries l join subscriptions s on s.id = l.subscription_id where l.kind = 'activation' and s.starts_at <> l.created_at) as activation_starts`);
    expect(mismatched).toEqual({ journal: 0, audit: 0, subscriptions: 0, activation_starts: 0 });
    // Customer collections spread over the quarter too.
    const collected = await one(sql`select count(*)::int as n, count(distinct (created_at at time zone ${zone})::date)::int as days from customer_payments`);
    expect(collected.n).toBeGreaterThanOrEqual(150);
    expect(collected.days).toBeGreaterThanOrEqual(60);
  });

  it("settles online payments through the gateway path: paid ones credited once, one failure, none left pending", async () => {
    const payments = await rows(sql`select status, count(*)::int as n, count(ledger_entry_id)::int as credited from online_payments group by status order by status`);
    const byStatus = Object.fromEntries(payments.map((p) => [p.status, p]));
    expect(byStatus.paid!.n).toBeGreaterThanOrEqual(3);
    expect(byStatus.paid!.credited).toBe(byStatus.paid!.n);
    expect(byStatus.failed?.n).toBe(1);
    expect(byStatus.pending).toBeUndefined();
    expect(byStatus.flagged).toBeUndefined();
    const reversal = await one(sql`select r.note, o.kind, o.external_reference from ledger_entries r join ledger_entries o on o.id = r.reverses_entry_id where r.kind = 'reversal'`);
    expect(reversal).toMatchObject({ kind: "balance_added" });
  });

  it("gives aging buckets, expiring-soon customers and this month's collections something to show", async () => {
    const { totals, rows: owing } = await accountsReceivable(db(), now);
    expect(owing.length).toBeGreaterThanOrEqual(2);
    expect(totals.days0to30).toBeGreaterThan(0n);
    expect(totals.days31to60).toBeGreaterThan(0n);
    expect(totals.days61to90).toBeGreaterThan(0n);
    const soon = await one(sql`select count(*)::int as n from customers where expires_at > now() and expires_at <= now() + interval '7 days'`);
    expect(soon.n).toBeGreaterThanOrEqual(10);
    const lapsed = await one(sql`select count(*)::int as n from customers where expires_at < now()`);
    expect(lapsed.n).toBeGreaterThan(0);
  });

  it("keeps the demo logins and what the end-to-end tests rely on", async () => {
    const logins = await rows(sql`select u.email, u.name, u.password_hash, r.name as reseller from users u left join resellers r on r.id = u.reseller_id order by u.email`);
    expect(logins.map((l) => [l.email, l.reseller])).toEqual([
      ["admin@example.com", null],
      ["postpaid@example.com", "CityLink Postpaid"],
      ["prepaid@example.com", "FastNet Prepaid"],
    ]);
    expect(logins[0]!.name).toBe("Demo Admin");
    expect(await verifyPassword(logins[0]!.password_hash as string, "admin-demo-pass")).toBe(true);
    expect(await verifyPassword(logins[1]!.password_hash as string, "reseller-demo-pass")).toBe(true);
    expect(await verifyPassword(logins[2]!.password_hash as string, "reseller-demo-pass")).toBe(true);

    const demo = await rows(sql`select r.name, r.type, r.balance::text, r.collection_limit::text, r.permissions, r.status,
        (select json_object_agg(p.name, rate::text) from reseller_package_rates x join packages p on p.id = x.package_id where x.reseller_id = r.id) as rates,
        (select json_agg(a.name order by a.name) from reseller_areas ra join areas a on a.id = ra.area_id where ra.reseller_id = r.id) as areas
      from resellers r where r.name in ('FastNet Prepaid', 'CityLink Postpaid') order by r.name`);
    const [citylink, fastnet] = demo;
    for (const r of demo) {
      expect(r.status).toBe("active");
      expect(r.permissions).toEqual(expect.arrayContaining(["payments.online", "subscriptions.activate", "subscriptions.renew", "payments.collect", "finance.view"]));
    }
    expect(fastnet).toMatchObject({ type: "prepaid" });
    expect(BigInt(fastnet!.balance as string)).toBeGreaterThanOrEqual(20_000n);
    expect(fastnet!.rates).toMatchObject({ "Home 10": "1200", "Home 25": "2000", "Business 100": "7200" });
    expect(fastnet!.areas).toContain("Downtown");
    const outstanding = -BigInt(citylink!.balance as string);
    expect(citylink).toMatchObject({ type: "postpaid" });
    expect(outstanding).toBeGreaterThan(2_000n);
    expect(outstanding + 7_200n).toBeLessThanOrEqual(BigInt(citylink!.collection_limit as string));
    expect((await one(sql`select count(*)::int as n from ledger_entries where external_reference = 'DEMO-OPENING'`)).n).toBe(1);
  });

  it("is the same quarter on every first start (same now, same books, to the second)", async () => {
    const fingerprint = async (handle: Db) =>
      ((await handle.execute(sql`select
        (select md5(string_agg(concat_ws('|', r.name, l.kind, l.amount, l.balance_after, l.created_at, l.note, l.external_reference, l.actor_label), ',' order by l.id))
           from ledger_entries l join resellers r on r.id = l.reseller_id) as ledger,
        (select md5(string_agg(concat_ws('|', username, name, phone, address, status, expires_at, created_at), ',' order by username)) from customers) as customers,
        (select md5(string_agg(concat_ws('|', amount, method, reference, created_at), ',' order by receipt_number)) from customer_payments) as collections,
        (select md5(string_agg(concat_ws('|', amount, status, created_at, settled_at), ',' order by created_at)) from online_payments) as online`)) as unknown as Row[])[0];
    const name = `lastmile_demo_again_${randomBytes(4).toString("hex")}`;
    const admin = postgres(inject("postgresUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    const again = connect(withDatabase(inject("appPostgresUrl"), name), { max: 2 });
    try {
      await seedDemo(again.db, now);
      expect(await checkInvariants(again.db)).toEqual([]);
      expect(await fingerprint(again.db)).toEqual(await fingerprint(db()));
    } finally {
      await again.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
