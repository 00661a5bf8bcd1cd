/**
 * Sessions at scale: Online now (the admin's, a large reseller's, a small
 * reseller's; searched, filtered, sorted, deep pages) and a customer page's
 * sessions and usage, with 120,000 customers and 1,000,000 radacct rows,
 * through their lib functions (listOpenSessions, customerNetwork), each plan
 * checked with EXPLAIN for a sequential scan of radacct.
 *
 *   npm run bench:sessions
 *
 * Starts its own embedded PostgreSQL (or uses BENCH_DATABASE_URL's server).
 * Writes the results to docs/BENCHMARKS.md under "## Sessions".
 */
import os from "node:os";
import { runBenchmark, withBenchDatabase, writeReportSection } from "./harness";
import { insertCustomers, insertRadacctHistory } from "./seed";
import { connect } from "@/db/client";
import { customerNetwork, listOpenSessions, OPEN_SESSION_COUNT_CAP, parseOnlineSessionSearch, type SessionScope } from "@/lib/radius/sessions";

const BIG_CUSTOMERS = 100_000;
const SMALL_RESELLERS = 20;
const SMALL_CUSTOMERS_EACH = 1_000;
const RADACCT = 1_000_000;
/** One customer in this many is online now (an open session). */
const ONLINE_ONE_IN = 3;
const WARM_UP = 3;
const RUNS = 21;
const TARGET_MS = 150;

type Case = { name: string; run: () => Promise<unknown>; explain?: () => Promise<string> };

async function main() {
  await withBenchDatabase("lastmile_bench_sessions", async (url) => {
    const database = connect(url, { max: 4 });
    const { sql, db } = database;
    const started = performance.now();
    const step = (label: string) => process.stdout.write(`${label} (${((performance.now() - started) / 1000).toFixed(0)} s)… `);
    const [area] = await sql`insert into areas (name) values ('Bench area') returning id`;
    const [big] = await sql`insert into resellers (name, type, currency) values ('Bench big reseller', 'prepaid', 'USD') returning id`;
    const smalls = (await sql`insert into resellers (name, type, currency) select 'Bench small ' || g, 'prepaid', 'USD' from generate_series(1, ${SMALL_RESELLERS}::int) g returning id`).map((r) => r.id as string);
    step("customers");
    await insertCustomers(sql, { resellerIds: [big!.id as string], areaIds: [area!.id as string], count: BIG_CUSTOMERS, idSeed: "b", usernamePrefix: "big" });
    await insertCustomers(sql, { resellerIds: smalls, areaIds: [area!.id as string], count: SMALL_RESELLERS * SMALL_CUSTOMERS_EACH, idSeed: "s", usernamePrefix: "small" });
    const [{ customers }] = (await sql`select count(*)::int as customers from customers`) as unknown as [{ customers: number }];
    // radacct: every customer's history over a year (closed sessions), and one open session for one customer in ONLINE_ONE_IN,
    // as FreeRADIUS writes them (usernames as the routers send them), from 40 routers.
    step("radacct");
    await insertRadacctHistory(sql, { rows: RADACCT, openOneIn: ONLINE_ONE_IN });
    await sql`insert into radius.nas (nasname, shortname, type, secret) select '10.255.0.' || g, 'Router ' || g, 'other', 'bench-secret-' || g from generate_series(1, 40) g`;
    await sql`analyze`;
    const [{ rows: radacctRows, opened }] = (await sql`select count(*)::int as rows, count(*) filter (where acctstoptime is null)::int as opened from radius.radacct`) as unknown as [{ rows: number; opened: number }];
    console.log(`done: ${customers.toLocaleString("en")} customers, ${radacctRows.toLocaleString("en")} radacct rows, ${opened.toLocaleString("en")} open`);

    const admin: SessionScope = { role: "admin" };
    const bigScope: SessionScope = { role: "reseller", resellerId: big!.id as string };
    const smallScope: SessionScope = { role: "reseller", resellerId: smalls[0]! };
    const [someone] = await sql`select c.id, c.username from customers c where c.reseller_id = ${big!.id} and exists (select 1 from radius.radacct a where a.username = c.username and a.acctstoptime is null) limit 1`;
    const since = new Date(Date.now() - 30 * 86_400_000);
    const list = (scope: SessionScope, params: Record<string, string>) => () => listOpenSessions(db, scope, parseOnlineSessionSearch(params));
    const cases: Case[] = [
      { name: "Admin: Online now, first page (25, newest first)", run: list(admin, {}) },
      { name: "Admin: page 100", run: list(admin, { page: "100" }) },
      { name: "Admin: filtered to the big reseller", run: list(admin, { reseller: big!.id as string }) },
      { name: "Admin: search by username", run: list(admin, { q: String(someone!.username) }) },
      { name: "Admin: sorted by username", run: list(admin, { sort: "username.asc" }) },
      { name: "Big reseller (100,000 customers): first page", run: list(bigScope, {}) },
      { name: "Big reseller: page 100", run: list(bigScope, { page: "100" }) },
      { name: "Big reseller: search by address", run: list(bigScope, { q: "100.65.7.1" }) },
      { name: "Small reseller (1,000 customers): first page", run: list(smallScope, {}) },
      { name: "Small reseller: sorted by username, descending", run: list(smallScope, { sort: "username.desc" }) },
      { name: "Customer page: online, last 10 sessions, usage this period", run: () => customerNetwork(db, bigScope, String(someone!.id), since) },
    ];
    const results: { name: string; p50: number; p95: number; rows: number; atLeast: boolean }[] = [];
    for (const c of cases) {
      for (let i = 0; i < WARM_UP; i++) await c.run();
      const times: number[] = [];
      let rows = 0;
      let atLeast = false;
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        const out = (await c.run()) as { rows?: unknown[]; total?: number; totalIsAtLeast?: boolean; sessions?: unknown[] };
        times.push(performance.now() - t);
        rows = out.total ?? out.sessions?.length ?? 0;
        atLeast = out.totalIsAtLeast ?? false;
      }
      times.sort((a, b) => a - b);
      const r = { name: c.name, p50: times[Math.floor(RUNS / 2)]!, p95: times[Math.min(RUNS - 1, Math.floor(RUNS * 0.95))]!, rows, atLeast };
      console.log(`${r.name}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.rows}${r.atLeast ? "+" : ""} rows)`);
      results.push(r);
    }

    // The plans: no sequential scan of radacct anywhere, whatever the scope.
    const plans: string[] = [];
    const explain = async (label: string, query: string) => {
      const plan = (await sql.unsafe(`explain ${query}`)).map((r) => r["QUERY PLAN"]).join("\n");
      const seq = /Seq Scan on radacct/.test(plan);
      plans.push(`${label}: ${seq ? "SEQUENTIAL SCAN of radacct" : "index scans only on radacct"}`);
      if (seq) console.log(`${label}:\n${plan}`);
    };
    const u = String(someone!.username);
    // The shapes listOpenSessions runs: the page chosen on radacct with the scope as an index-only probe of the
    // reseller's customers, and a count that stops OPEN_SESSION_COUNT_CAP past the page.
    const inScope = (id: string) => `exists (select 1 from customers o where o.reseller_id = '${id}' and lower(o.username) = lower(a.username))`;
    const pageOf = (id: string, offset: number) => `select a.radacctid from radius.radacct a where a.acctstoptime is null and ${inScope(id)} order by a.acctstarttime desc, a.radacctid desc limit 25 offset ${offset}`;
    const countOf = (id: string) => `select count(*) from (select 1 from radius.radacct a where a.acctstoptime is null and ${inScope(id)} limit ${OPEN_SESSION_COUNT_CAP + 1}) x`;
    const searchOf = (id: string, pattern: string) => `select a.radacctid from radius.radacct a where a.acctstoptime is null and ${inScope(id)} and a.radacctid in (
        select m.radacctid from radius.radacct m where m.acctstoptime is null and lower(m.username) = any (array(select lower(s.username) from customers s where (s.name || ' ' || s.username || ' ' || coalesce(s.phone, '')) ilike '${pattern}'))
        union all select m.radacctid from radius.radacct m where m.acctstoptime is null and m.username ilike '${pattern}'
        union all select m.radacctid from radius.radacct m where m.acctstoptime is null and host(m.framedipaddress) ilike '${pattern}')
      order by a.acctstarttime desc, a.radacctid desc limit 25`;
    await explain("reseller's open sessions (page)", pageOf(smalls[0]!, 0));
    await explain("reseller's open sessions (count)", countOf(smalls[0]!));
    await explain("big reseller's open sessions (page 100)", pageOf(big!.id as string, 2475));
    await explain("big reseller's open sessions (count)", countOf(big!.id as string));
    await explain("big reseller's search by address", searchOf(big!.id as string, "%100.65.7.1%"));
    // Where the big reseller's time goes (printed, not written).
    for (const q of [pageOf(big!.id as string, 2475), countOf(big!.id as string), searchOf(big!.id as string, "%100.65.7.1%")]) {
      console.log((await sql.unsafe(`explain (analyze, costs off) ${q}`)).map((r) => r["QUERY PLAN"]).join("\n"));
    }
    await explain("admin's open sessions (page)", `select a.radacctid from radius.radacct a where a.acctstoptime is null order by a.acctstarttime desc, a.radacctid desc limit 25`);
    await explain("a customer's last sessions", `select a.radacctid from radius.radacct a where a.username = '${u}' order by a.acctstarttime desc nulls last, a.radacctid desc limit 10`);
    await explain("a customer's usage this period", `select sum(acctinputoctets) from radius.radacct where username = '${u}' and (acctstoptime is null or acctstoptime >= now() - interval '30 days')`);
    console.log(plans.join("\n"));

    const [pg] = (await sql`select version() as v`) as unknown as [{ v: string }];
    writeReportSection(
      "Sessions",
      [
        "## Sessions",
        "",
        `\`npm run bench:sessions\`, ${new Date().toISOString().slice(0, 10)}: ${customers.toLocaleString("en")} customers (one reseller with ${BIG_CUSTOMERS.toLocaleString("en")}, ${SMALL_RESELLERS} with ${SMALL_CUSTOMERS_EACH.toLocaleString("en")}), ${radacctRows.toLocaleString("en")} radacct rows of which ${opened.toLocaleString("en")} open (one customer in ${ONLINE_ONE_IN} online), 40 routers; through the lib functions the pages call (listOpenSessions, customerNetwork), ${WARM_UP} warm-up then ${RUNS} runs each, one at a time. Each list call is its page query plus its count (which stops ${OPEN_SESSION_COUNT_CAP.toLocaleString("en")} sessions past the page: "10,000+"). ${pg.v.split(",")[0]}; ${os.cpus().length} CPU cores, shared (load average ${os.loadavg().map((l) => l.toFixed(1)).join(", ")} at the end).`,
        "",
        "| case | p50 ms | p95 ms | rows (total) | target |",
        "|---|---:|---:|---:|---|",
        ...results.map((r) => `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.rows.toLocaleString("en")}${r.atLeast ? "+" : ""} | p50 < ${TARGET_MS} ms: ${r.p50 < TARGET_MS ? "met" : "NOT met"} |`),
        "",
        "Plans (EXPLAIN on the same data):",
        "",
        ...plans.map((p) => `- ${p}`),
        "",
      ].join("\n"),
    );
    await database.close();
  });
}

runBenchmark(main);
