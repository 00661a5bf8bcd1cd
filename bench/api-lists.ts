/**
 * API list speed at scale: GET /api/v1/customers (filters, cursor pages deep
 * into the list), GET /api/v1/statement, GET /api/v1/online-payments and
 * GET /api/v1/receivables, through their route handlers (token check, rate
 * limit, audit, the lib query, JSON), for one reseller with 100,000 customers
 * and 1,000,000 ledger entries (bench:lists's seed) plus 100,000 online
 * payments; then EXPLAIN of the very SQL lib sends for each page, checked to
 * be a keyset cut on an index (no OFFSET, no sort of the whole list, no
 * sequential scan of a big table).
 *
 *   npm run bench:api-lists
 *
 * Starts its own embedded PostgreSQL in a temporary folder (or, with
 * BENCH_DATABASE_URL, a scratch database on that server). Writes the results
 * to docs/BENCHMARKS.md under "## API lists".
 */
import os from "node:os";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import { runBenchmark, withBenchDatabase, writeReportSection } from "./harness";
import { seed } from "./lists";
import * as schema from "@/db/schema";
import type { Db } from "@/db/client";
import { issueApiToken } from "@/lib/api/tokens";
import { systemActor } from "@/lib/billing";
import { listCustomersAfter } from "@/lib/portal/customers";
import { listOnlinePaymentsAfter } from "@/lib/payments/queries";
import { accountsReceivable } from "@/lib/receivables";
import { parseStatementSearch, statement, type StatementSearch } from "@/lib/statement";
import { allPermissions } from "@/lib/permissions";

/** What the big reseller is set to owe for the receivables case, in minor units. */
const OWED = 2_000_000;
const PAYMENTS = 100_000;
const WARM_UP = 5;
const RUNS = 31;
/** A page of an API list answers within this (median, route handler in-process), at this scale. */
const TARGET_MS = 150;

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Case = { name: string; path: string; token: "reseller" | "admin"; explain: (db: Db) => Promise<unknown> };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(0.95 * values.length))]!;

/** A Drizzle database whose queries are recorded (text and parameters), to EXPLAIN exactly what lib sends. */
function recordingDb(url: string) {
  const client = postgres(url, { max: 2, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  const sent: { text: string; params: unknown[] }[] = [];
  const unsafe = client.unsafe.bind(client);
  client.unsafe = ((text: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) => {
    sent.push({ text, params: params ?? [] });
    return unsafe(text, params as postgres.ParameterOrJSON<never>[], options);
  }) as typeof client.unsafe;
  const db = drizzle(client, { schema }) as unknown as Db;
  return { db, client, sent };
}

type Plan = { name: string; query: string; plan: string[]; ok: boolean; why: string };

/** EXPLAIN of every query a lib call sent, judged: the page query must be an index cut, never OFFSET or a full sort or seq scan. */
async function explain(name: string, run: (db: Db) => Promise<unknown>, url: string): Promise<Plan[]> {
  const { db, client, sent } = recordingDb(url);
  try {
    await run(db);
    const plans: Plan[] = [];
    for (const query of sent) {
      if (!/^\s*(select|with)/i.test(query.text)) continue;
      const rows = await client.unsafe(`explain ${query.text}`, query.params as postgres.ParameterOrJSON<never>[]);
      const plan = rows.map((r) => String(r["QUERY PLAN"]));
      const text = plan.join("\n");
      const problems = [
        /\boffset\b/i.test(query.text) ? "OFFSET" : "",
        /Seq Scan on (customers|ledger_entries|online_payments)\b/.test(text) ? "sequential scan of a big table" : "",
      ].filter(Boolean);
      plans.push({ name, query: query.text.replace(/\s+/g, " "), plan, ok: problems.length === 0, why: problems.join(", ") });
    }
    return plans;
  } finally {
    await client.end({ timeout: 5 });
  }
}

runBenchmark(async () => {
  await withBenchDatabase("lastmile_bench_api_lists", async (url, admin) => {
    const [{ version }] = (await admin`select current_setting('server_version') as version`) as unknown as [{ version: string }];
    const setup = postgres(url, { max: 1, onnotice: () => {} });
    const seeded = await seed(setup);
    const r = seeded.resellerId;
    // Online payments: every reseller's, over three years; most paid, some failed or pending.
    await setup`
      insert into online_payments (reseller_id, amount, currency, status, gateway_mode, checkout_session_id, started_by_label, idempotency_key, created_at, settled_at, reason)
      select case when g % 4 = 0 then (select id from resellers where name = 'Bench other ' || (1 + g % 20)) else ${r}::uuid end,
        1000 + g % 9000, 'USD',
        (case when g % 10 = 0 then 'failed' when g % 97 = 0 then 'pending' else 'expired' end)::online_payment_status,
        'sandbox', 'cs_bench_' || g, 'bench', 'bench-pay-' || g,
        now() - ((${PAYMENTS}::int - g) * 900 || ' seconds')::interval, null,
        case when g % 10 = 0 then 'card declined' end
      from generate_series(1, ${PAYMENTS}::int) g`;
    await setup`vacuum analyze online_payments`;
    // Token owners: a user of the bench reseller, and an admin.
    const [resellerUser] = await setup`insert into users (email, name, password_hash, role, reseller_id) values ('bench-lists@example.test', 'Bench', 'x', 'reseller', ${r}) returning id`;
    const [adminUser] = await setup`insert into users (email, name, password_hash, role) values ('bench-lists-admin@example.test', 'Bench admin', 'x', 'admin') returning id`;
    await setup`update resellers set permissions = ${allPermissions} where id = ${r}`;
    const [deep] = await setup`select id from customers where reseller_id = ${r} order by created_at desc, id desc offset 90000 limit 1`;
    const [deepSuspended] = await setup`select id from customers where reseller_id = ${r} and status = 'suspended' order by created_at desc, id desc offset 1900 limit 1`;
    const [middleArea] = await setup`select id from customers where reseller_id = ${r} and area_id = ${seeded.areaIds[3]!} order by created_at desc, id desc offset 10000 limit 1`;
    const [deepPayment] = await setup`select id from online_payments where reseller_id = ${r} order by created_at desc, id desc offset 70000 limit 1`;
    const [deepEntry] = await setup`select id from ledger_entries where reseller_id = ${r} order by id desc offset 900000 limit 1`;
    // Receivables needs someone owing: the big reseller settles postpaid and owes 20,000.00 (its last
    // 2,000 charges of 10.00), a bench-only edit of its position after the seed (no ledger entry).
    await setup`update resellers set type = 'postpaid', collection_limit = 5000000, balance = ${-OWED} where id = ${r}`;
    await setup.end({ timeout: 5 });

    process.env.DATABASE_URL = url;
    process.env.LASTMILE_API_RATE_LIMIT = "1000000";
    const { getDb } = await import("@/db/client");
    const db = getDb();
    const resellerToken = (await issueApiToken(db, systemActor("bench"), { userId: resellerUser!.id as string, name: "bench lists" })).token;
    const adminToken = (await issueApiToken(db, systemActor("bench"), { userId: adminUser!.id as string, name: "bench lists admin" })).token;
    const routes: Record<string, Handler> = {
      "/customers": (await import("@/app/api/v1/customers/route")).GET as Handler,
      "/statement": (await import("@/app/api/v1/statement/route")).GET as Handler,
      "/online-payments": (await import("@/app/api/v1/online-payments/route")).GET as Handler,
      "/receivables": (await import("@/app/api/v1/receivables/route")).GET as Handler,
    };

    const apiStatement = (dbx: Db, starting_after?: number, kinds?: string) =>
      statement(dbx, r, {
        ...parseStatementSearch({ kinds }),
        cursor: starting_after,
        direction: starting_after === undefined ? "first" : "next",
        perPage: 100 as StatementSearch["perPage"],
      });
    const cases: Case[] = [
      { name: "customers, first page (100)", path: "/customers?limit=100", token: "reseller", explain: (d) => listCustomersAfter(d, r, {}, { limit: 100 }) },
      { name: "customers, page after the 90,000th", path: `/customers?limit=100&starting_after=${deep!.id}`, token: "reseller", explain: (d) => listCustomersAfter(d, r, {}, { limit: 100, startingAfter: deep!.id as string }) },
      { name: "customers, one area + active, first page", path: `/customers?limit=100&area=${seeded.areaIds[3]}&status=active`, token: "reseller", explain: (d) => listCustomersAfter(d, r, { area: seeded.areaIds[3]!, status: "active" }, { limit: 100 }) },
      { name: "customers, one area, page after the 10,000th", path: `/customers?limit=100&area=${seeded.areaIds[3]}&starting_after=${middleArea!.id}`, token: "reseller", explain: (d) => listCustomersAfter(d, r, { area: seeded.areaIds[3]! }, { limit: 100, startingAfter: middleArea!.id as string }) },
      { name: "customers, suspended, page after the 1,900th", path: `/customers?limit=100&status=suspended&starting_after=${deepSuspended!.id}`, token: "reseller", explain: (d) => listCustomersAfter(d, r, { status: "suspended" }, { limit: 100, startingAfter: deepSuspended!.id as string }) },
      { name: "customers, expiring in 7 days, first page", path: "/customers?limit=100&expiry=expiring", token: "reseller", explain: (d) => listCustomersAfter(d, r, { expiry: "expiring" }, { limit: 100 }) },
      { name: 'customers, search "salma khan"', path: "/customers?limit=100&q=salma%20khan", token: "reseller", explain: (d) => listCustomersAfter(d, r, { q: "salma khan" }, { limit: 100 }) },
      { name: "statement, first page (100)", path: "/statement?limit=100", token: "reseller", explain: (d) => apiStatement(d) },
      { name: "statement, page after the 900,000th entry", path: `/statement?limit=100&starting_after=${deepEntry!.id}`, token: "reseller", explain: (d) => apiStatement(d, Number(deepEntry!.id)) },
      { name: "statement, cash received only", path: "/statement?limit=100&kinds=cash_received", token: "reseller", explain: (d) => apiStatement(d, undefined, "cash_received") },
      { name: "online payments (reseller), first page", path: "/online-payments?limit=100", token: "reseller", explain: (d) => listOnlinePaymentsAfter(d, {}, { limit: 100 }, r) },
      { name: "online payments (reseller), page after the 70,000th", path: `/online-payments?limit=100&starting_after=${deepPayment!.id}`, token: "reseller", explain: (d) => listOnlinePaymentsAfter(d, {}, { limit: 100, startingAfter: deepPayment!.id as string }, r) },
      { name: "online payments (admin), failed only", path: "/online-payments?limit=100&status=failed", token: "admin", explain: (d) => listOnlinePaymentsAfter(d, { status: "failed" }, { limit: 100 }) },
      { name: "receivables (admin)", path: "/receivables", token: "admin", explain: (d) => accountsReceivable(d) },
    ];

    const call = async (c: Case) => {
      const route = routes[c.path.split("?")[0]!]!;
      const request = new Request(`http://lastmile.test/api/v1${c.path}`, { headers: { authorization: `Bearer ${c.token === "admin" ? adminToken : resellerToken}` } });
      const response = await route(request, { params: Promise.resolve({}) });
      const body = (await response.json()) as { data?: unknown[] };
      if (response.status !== 200) throw new Error(`${c.name}: ${response.status} ${JSON.stringify(body)}`);
      return body.data?.length ?? 0;
    };

    const results: { c: Case; ms: number[]; rows: number; plans: Plan[] }[] = [];
    for (const c of cases) {
      process.stdout.write(`${c.name}… `);
      for (let i = 0; i < WARM_UP; i++) await call(c);
      const ms: number[] = [];
      let rows = 0;
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        rows = await call(c);
        ms.push(performance.now() - t0);
      }
      const plans = await explain(c.name, c.explain, url);
      results.push({ c, ms, rows, plans });
      console.log(`${median(ms).toFixed(1)} ms (p95 ${p95(ms).toFixed(1)}), ${rows} rows, plans ${plans.every((p) => p.ok) ? "ok" : "NOT ok"}`);
    }

    const cpu = os.cpus();
    const lines = [
      "## API lists",
      "",
      "`npm run bench:api-lists` — the API's list endpoints through their route handlers, called in-process (token check, rate",
      "limit, audit row, the lib query, JSON; no HTTP server), on bench:lists's seed: one reseller with 100,000 customers and",
      `1,000,000 ledger entries among 20 other resellers, plus ${PAYMENTS.toLocaleString("en-US")} online payments (three quarters the reseller's). Pages of 100 rows;`,
      "deep pages are the cursor (`starting_after`) of a row far down the list. Median and p95 of " + `${RUNS} calls after ${WARM_UP} warm-up calls; target: median < ${TARGET_MS} ms.`,
      "",
      "| Endpoint and page | Rows | median ms | p95 ms | Target met | Plan (the page query) |",
      "| --- | ---: | ---: | ---: | :---: | --- |",
    ];
    for (const { c, ms, rows, plans } of results) {
      // The page query: the one cut by ORDER BY … LIMIT (a cursor's own row lookup comes before it).
      const page = plans.find((p) => /\border by\b.*\blimit\b/i.test(p.query)) ?? plans[0];
      const indexes = [...new Set((page?.plan ?? []).flatMap((l) => [...l.matchAll(/(Index(?: Only)? Scan(?: Backward)?) using (\w+)/g)].map((m) => `${m[1]} ${m[2]}`)))];
      const okPlans = plans.every((p) => p.ok);
      lines.push(
        `| ${c.name} | ${rows} | ${median(ms).toFixed(1)} | ${p95(ms).toFixed(1)} | ${median(ms) < TARGET_MS && okPlans ? "yes" : "**no**"} | ${okPlans ? "" : `**${plans.filter((p) => !p.ok).map((p) => p.why).join("; ")}** `}${indexes.join(", ") || "—"} |`,
      );
    }
    lines.push(
      "",
      "The plan column lists the indexes the page query's plan walks (EXPLAIN of the exact SQL lib sends, recorded from",
      "the driver); a page query fails the check if it uses OFFSET or scans customers, ledger_entries or online_payments",
      "sequentially. Customer and online-payment pages are keyset cuts on `(created_at, id)` from the cursor row; statement",
      "pages are keyset cuts on the entry id.",
      "",
      "GET /receivables is not a page but every owing reseller with its aging. For it the big reseller is set to owe",
      `${(OWED / 100).toLocaleString("en-US")}.00 on a postpaid limit after the seed: the aging walks its debits newest first through`,
      "`(reseller_id, id)` only until they cover what it owes (its last 2,000 charges), not its whole history.",
      "",
      `- Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, shared; Node ${process.version}, PostgreSQL ${version} (${process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : "embedded, same machine"}).`,
      "",
    );
    const section = lines.join("\n");
    console.log(section);
    for (const { plans } of results) for (const p of plans.filter((x) => !x.ok)) console.log(`${p.name}: ${p.why}\n${p.query}\n${p.plan.join("\n")}`);
    if (process.env.BENCH_NO_REPORT !== "1") writeReportSection("API lists", section);
    if (results.some((x) => median(x.ms) >= TARGET_MS || !x.plans.every((p) => p.ok))) process.exitCode = 1;
  });
});
