/**
 * List speed at scale: the portal's customer list and the reseller statement,
 * called through their lib functions (listCustomers, statement) against the
 * equivalent hand-written SQL, on the same PostgreSQL server in the same run,
 * for one reseller with 100,000 customers and 1,000,000 ledger entries.
 *
 *   npm run bench:lists
 *
 * Starts its own embedded PostgreSQL in a temporary folder, or, with
 * BENCH_DATABASE_URL, creates (and afterwards drops) a scratch database on
 * that server. Writes the results to docs/BENCHMARKS.md under "## Lists".
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { runBenchmark, withBenchDatabase, writeReportSection } from "./harness";
import { insertCustomers } from "./seed";
import { connect, type Database } from "@/db/client";
import { DAY_MS } from "@/lib/dates";
import { listCustomers, parseCustomerSearch } from "@/lib/portal/customers";
import { parseStatementSearch, statement } from "@/lib/statement";

const CUSTOMERS = 100_000;
const ENTRIES = 1_000_000;
const AREAS = 8;
/** Other resellers sharing the tables, so every query really has to find one reseller's rows. */
const OTHER_RESELLERS = 20;
const OTHER_CUSTOMERS_EACH = 1_000;
const OTHER_ENTRIES_EACH = 5_000;
const WARM_UP = 5;
const RUNS = 31;
const LIST_TARGET_RATIO = 3;
const LIST_TARGET_MS = 150;
const STATEMENT_TARGET_RATIO = 2;

type Case = {
  group: "Customer list" | "Statement";
  name: string;
  lib: () => Promise<number>;
  raw: () => Promise<number>;
  /** Shown for comparison only; no target applies. */
  reference?: boolean;
};
type Result = { c: Case; lib: number[]; raw: number[]; libRows: number; rawRows: number };

// ---------------------------------------------------------------------------
// Seed (set-based SQL)
// ---------------------------------------------------------------------------

export async function seed(sql: postgres.Sql): Promise<{ resellerId: string; areaIds: string[]; middleEntryId: number; days: number }> {
  const started = performance.now();
  const step = (label: string) => process.stdout.write(`${label} (${((performance.now() - started) / 1000).toFixed(0)} s)… `);
  const areaIds = (
    await sql`insert into areas (name) select 'Bench area ' || g from generate_series(1, ${AREAS}::int) g returning id`
  ).map((r) => r.id as string);
  const [reseller] = await sql`insert into resellers (name, type, currency) values ('Bench reseller', 'prepaid', 'USD') returning id`;
  const resellerId = reseller!.id as string;
  await sql`insert into reseller_areas (reseller_id, area_id) select ${resellerId}, unnest(${areaIds}::uuid[])`;
  const others = (
    await sql`insert into resellers (name, type, currency) select 'Bench other ' || g, 'prepaid', 'USD' from generate_series(1, ${OTHER_RESELLERS}::int) g returning id`
  ).map((r) => r.id as string);

  // Customers: 2 % suspended, expiry 10 % never, 25 % expired, 5 % within 7 days, 60 % later (bench/seed.ts).
  step("customers");
  await insertCustomers(sql, { resellerIds: [resellerId], areaIds, count: CUSTOMERS, idSeed: "c", usernamePrefix: "u" });
  await sql`
    insert into customers (reseller_id, area_id, username, name, expires_at)
    select r.id, ${areaIds[0]!}::uuid, 'o' || r.n || '-' || g, 'Other customer ' || g, now() + (g % 30 || ' days')::interval
    from (select id, row_number() over () as n from unnest(${others}::uuid[]) id) r, generate_series(1, ${OTHER_CUSTOMERS_EACH}::int) g`;

  // Ledger: one entry every ~95 s over three years; every 10th a 100.00 balance top-up, some cash and
  // online payments, the rest 10.00 activations and renewals of the reseller's customers. The
  // balance never goes below zero and balance_after is the running sum, written in batches.
  step("ledger");
  const span = 1095 * 86400;
  const batch = 100_000;
  let carry = 0n;
  for (let from = 1; from <= ENTRIES; from += batch) {
    const to = Math.min(ENTRIES, from + batch - 1);
    await sql`
      with g as (
        select g, case when g % 10 = 1 then 'balance_added' when g % 50 = 7 then 'cash_received' when g % 97 = 3 then 'online_payment'
                       when g % 3 = 0 then 'renewal' else 'activation' end::ledger_kind as kind
        from generate_series(${from}::int, ${to}::int) g),
      a as (
        select g, kind, case kind when 'balance_added' then 10000 when 'cash_received' then 2000 when 'online_payment' then 5000 else -1000 end::bigint as amount
        from g)
      insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, note, method,
        customer_id, idempotency_key, created_at)
      select ${resellerId}, kind, amount, (${carry.toString()}::bigint + sum(amount) over (order by g))::bigint, 'prepaid', 0, 'bench',
        case when amount < 0 then 'Bench 20 Mbps until later' end,
        case when amount > 0 then 'cash'::payment_method end,
        case when amount < 0 then md5('c' || (1 + g % ${CUSTOMERS}::int))::uuid end,
        'bench-' || g, now() - interval '1 day' - ((${ENTRIES}::bigint - g) * ${span}::bigint / ${ENTRIES}::bigint || ' seconds')::interval
      from a order by g`;
    const [last] = await sql`select balance_after from ledger_entries where reseller_id = ${resellerId} order by id desc limit 1`;
    carry = BigInt(last!.balance_after as string);
    process.stdout.write(`${to / 1000}k `);
  }
  await sql`update resellers set balance = ${carry.toString()} where id = ${resellerId}`;
  for (const other of others) {
    await sql`
      insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, idempotency_key, created_at)
      select ${other}, 'balance_added', 100, 100 * g, 'prepaid', 0, 'bench', 'bench-' || ${other}::text || '-' || g,
        now() - interval '1 day' - ((${OTHER_ENTRIES_EACH}::int - g) || ' hours')::interval
      from generate_series(1, ${OTHER_ENTRIES_EACH}::int) g`;
    await sql`update resellers set balance = ${String(100 * OTHER_ENTRIES_EACH)}::bigint where id = ${other}`;
  }
  step("vacuum analyze");
  await sql`vacuum analyze customers`;
  await sql`vacuum analyze ledger_entries`;
  await sql`vacuum analyze ledger_daily_totals`;
  const [middle] = await sql`select id from ledger_entries where reseller_id = ${resellerId} order by id offset ${ENTRIES / 2}::int limit 1`;
  const [days] = await sql`select count(distinct day)::int as n from ledger_daily_totals where reseller_id = ${resellerId}`;
  console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return { resellerId, areaIds, middleEntryId: Number(middle!.id), days: days!.n as number };
}

// ---------------------------------------------------------------------------
// Cases: the lib call and the hand-written SQL returning the same rows
// ---------------------------------------------------------------------------

export function cases(database: Database, s: { resellerId: string; areaIds: string[]; middleEntryId: number }): Case[] {
  const { db, sql } = database;
  const r = s.resellerId;
  const perPage = 25;

  /** The customer page by hand: cut the page on the sort index, then join the area names. */
  const rawCustomers = async (where: postgres.PendingQuery<postgres.Row[]>, order: string, page: number) => {
    const rows = await sql`
      select p.*, a.name as area_name from (
        select id, username, name, phone, status, expires_at, created_at, area_id from customers
        where reseller_id = ${r} ${where}
        order by ${sql.unsafe(order)} limit ${perPage + 1} offset ${(page - 1) * perPage}) p
      join areas a on a.id = p.area_id
      order by ${sql.unsafe(order.replaceAll(/(\w+) (asc|desc)/g, "p.$1 $2"))}`;
    return Math.min(rows.length, perPage);
  };
  /**
   * A search by hand, as lib does it: sent unprepared (planned with its pattern), and sorted by an
   * expression the name index does not cover, so matches are found first (trigram index) and then sorted.
   */
  const rawSearch = async (pattern: string) => {
    const rows = await sql.unsafe(
      `select p.*, a.name as area_name from (
         select id, username, name, phone, status, expires_at, created_at, area_id from customers
         where reseller_id = $1 and (name || ' ' || username || ' ' || coalesce(phone, '')) ilike $2
         order by name || '' asc, id asc limit $3 offset 0) p
       join areas a on a.id = p.area_id
       order by p.name asc, p.id asc`,
      [r, pattern, perPage + 1],
      { prepare: false },
    );
    return Math.min(rows.length, perPage);
  };
  const libCustomers = async (params: Record<string, string>) => (await listCustomers(db, r, parseCustomerSearch({ perPage: String(perPage), ...params }))).rows.length;

  /**
   * The statement page by hand: keyset on id, customer and reversal joined. The first and last pages
   * start at the reseller's own newest/oldest id, as lib does (see the note under the table).
   */
  const rawStatement = async (where: postgres.PendingQuery<postgres.Row[]>, order: "asc" | "desc", fromEnd = true) => {
    const start = !fromEnd
      ? sql``
      : order === "desc"
        ? sql`and l.id <= (select max(id) from ledger_entries where reseller_id = ${r})`
        : sql`and l.id >= (select min(id) from ledger_entries where reseller_id = ${r})`;
    const rows = await sql`
      select l.id, l.created_at, l.kind, l.amount, l.balance_after, l.note, l.method, l.source, l.external_reference, l.received_on,
        l.actor_label, l.customer_id, c.name, c.username, l.subscription_id, l.payment_reference, l.reverses_entry_id, rv.id as reversed_by
      from ledger_entries l
      left join customers c on c.id = l.customer_id
      left join ledger_entries rv on rv.reverses_entry_id = l.id
      where l.reseller_id = ${r} ${where} ${start}
      order by l.id ${sql.unsafe(order)} limit 51`;
    return Math.min(rows.length, 50);
  };
  const libStatement = async (params: Record<string, string>) => (await statement(db, r, parseStatementSearch({ perPage: "50", ...params }))).rows.length;
  const none = sql``;

  return [
    {
      group: "Customer list",
      name: "page 1, sorted by name",
      lib: () => libCustomers({ sort: "name.asc" }),
      raw: () => rawCustomers(none, "name asc, id asc", 1),
    },
    {
      group: "Customer list",
      name: "page 500, sorted by name",
      lib: () => libCustomers({ sort: "name.asc", page: "500" }),
      raw: () => rawCustomers(none, "name asc, id asc", 500),
    },
    {
      group: "Customer list",
      name: "page 500, sorted by username desc",
      lib: () => libCustomers({ sort: "username.desc", page: "500" }),
      raw: () => rawCustomers(none, "username desc, id desc", 500),
    },
    {
      group: "Customer list",
      name: "page 1, expiring in 7 days, sorted by expiry",
      lib: () => libCustomers({ expiry: "expiring", sort: "expiresAt.asc" }),
      raw: () => rawCustomers(sql`and expires_at > now() and expires_at <= now() + interval '7 days'`, "expires_at asc, id asc", 1),
    },
    {
      group: "Customer list",
      name: "page 1, one area + active, sorted by created desc",
      lib: () => libCustomers({ area: s.areaIds[3]!, status: "active", sort: "createdAt.desc" }),
      raw: () => rawCustomers(sql`and area_id = ${s.areaIds[3]!} and status = 'active'`, "created_at desc, id desc", 1),
    },
    {
      group: "Customer list",
      name: "page 500, one area, sorted by name",
      lib: () => libCustomers({ area: s.areaIds[5]!, sort: "name.asc", page: "500" }),
      raw: () => rawCustomers(sql`and area_id = ${s.areaIds[5]!}`, "name asc, id asc", 500),
    },
    {
      group: "Customer list",
      name: "page 1, suspended, sorted by name",
      lib: () => libCustomers({ status: "suspended", sort: "name.asc" }),
      raw: () => rawCustomers(sql`and status = 'suspended'`, "name asc, id asc", 1),
    },
    {
      group: "Customer list",
      name: 'page 1, search "salma khan", sorted by name',
      lib: () => libCustomers({ q: "salma khan", sort: "name.asc" }),
      raw: () => rawSearch("%salma khan%"),
    },
    {
      group: "Customer list",
      name: 'page 1, search phone "4417", sorted by name',
      lib: () => libCustomers({ q: "4417", sort: "name.asc" }),
      raw: () => rawSearch("%4417%"),
    },
    {
      group: "Statement",
      name: "first page (newest 50)",
      lib: () => libStatement({}),
      raw: () => rawStatement(none, "desc"),
    },
    {
      group: "Statement",
      name: "first page, raw without the start bound (reference)",
      lib: () => libStatement({}),
      raw: () => rawStatement(none, "desc", false),
      reference: true,
    },
    {
      group: "Statement",
      name: "last page (oldest 50)",
      lib: () => libStatement({ direction: "last" }),
      raw: () => rawStatement(none, "asc"),
    },
    {
      group: "Statement",
      name: "next page from the middle",
      lib: () => libStatement({ direction: "next", cursor: String(s.middleEntryId) }),
      raw: () => rawStatement(sql`and l.id < ${s.middleEntryId}`, "desc", false),
    },
    {
      group: "Statement",
      name: "first page, one month (Asia/Dhaka days)",
      lib: () => libStatement({ from: monthAgo(60), to: monthAgo(31), timeZone: "Asia/Dhaka" }),
      raw: () =>
        rawStatement(
          sql`and l.created_at >= (${monthAgo(60)}::date)::timestamp at time zone 'Asia/Dhaka'
              and l.created_at < (${monthAgo(31)}::date + 1)::timestamp at time zone 'Asia/Dhaka'`,
          "desc",
        ),
    },
    {
      group: "Statement",
      name: "first page, cash received only",
      lib: () => libStatement({ kinds: "cash_received" }),
      raw: () => rawStatement(sql`and l.kind = 'cash_received'`, "desc"),
    },
  ];
}

function monthAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const p95 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(0.95 * values.length))]!;

async function time(run: () => Promise<number>): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const rows = await run();
  return { ms: performance.now() - t0, rows };
}

async function measure(c: Case): Promise<Result> {
  for (let i = 0; i < WARM_UP; i++) {
    await c.raw();
    await c.lib();
  }
  const lib: number[] = [];
  const raw: number[] = [];
  let libRows = 0;
  let rawRows = 0;
  for (let i = 0; i < RUNS; i++) {
    // Alternate the order so neither side always runs on a warmer cache.
    const order = i % 2 === 0 ? (["raw", "lib"] as const) : (["lib", "raw"] as const);
    for (const side of order) {
      const t = await time(c[side]);
      if (side === "lib") {
        lib.push(t.ms);
        libRows = t.rows;
      } else {
        raw.push(t.ms);
        rawRows = t.rows;
      }
    }
  }
  return { c, lib, raw, libRows, rawRows };
}

function verdict(result: Result): { ok: boolean; text: string } {
  if (result.c.reference) return { ok: true, text: "—" };
  const ratio = median(result.lib) / median(result.raw);
  if (result.c.group === "Customer list") {
    const ok = ratio <= LIST_TARGET_RATIO && median(result.lib) < LIST_TARGET_MS;
    return { ok, text: ok ? "yes" : "**no**" };
  }
  const ok = ratio <= STATEMENT_TARGET_RATIO;
  return { ok, text: ok ? "yes" : "**no**" };
}

function markdown(results: Result[], environment: string[], seedInfo: { days: number }): string {
  const lines = [
    "## Lists",
    "",
    "The reseller portal's customer list (`listCustomers`, lib/portal/customers.ts) and the reseller statement",
    "(`statement`, lib/statement.ts) against hand-written SQL returning the same rows (raw), on the same",
    `PostgreSQL server in the same run, for one reseller with ${CUSTOMERS.toLocaleString("en-US")} customers and ${ENTRIES.toLocaleString("en-US")} ledger entries`,
    `(plus ${OTHER_RESELLERS} other resellers with ${OTHER_CUSTOMERS_EACH.toLocaleString("en-US")} customers and ${OTHER_ENTRIES_EACH.toLocaleString("en-US")} entries each in the same tables).`,
    `Median of ${RUNS} runs after ${WARM_UP} warm-up runs, lib and raw alternating. Regenerate with \`npm run bench:lists\`.`,
    `Targets: customer list ≤ ${LIST_TARGET_RATIO}× raw and < ${LIST_TARGET_MS} ms; statement ≤ ${STATEMENT_TARGET_RATIO}× raw.`,
    "The machine is shared, so absolute figures vary from run to run; lib and raw run interleaved, so the ratio is steadier.",
    "",
    "| List | Case | Rows | lib median ms | raw median ms | lib / raw | lib p95 ms | raw p95 ms | Target met |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
  ];
  for (const result of results) {
    const ratio = median(result.lib) / median(result.raw);
    lines.push(
      `| ${result.c.group} | ${result.c.name} | ${result.libRows} | ${median(result.lib).toFixed(2)} | ${median(result.raw).toFixed(2)} | ` +
        `${ratio.toFixed(2)}× | ${p95(result.lib).toFixed(2)} | ${p95(result.raw).toFixed(2)} | ${verdict(result).text} |`,
    );
  }
  lines.push(
    "",
    "What each side does:",
    "",
    "- **Customer list, lib**: one page (25 rows, 26 fetched to know if there is a next one) cut on the index for the",
    "  sort — `(reseller_id, name|username|created_at|expires_at, id)`, `(reseller_id, area_id, name, id)`, the partial",
    "  index on suspended customers, or the pg_trgm GIN index for search — with area names joined after the cut; in",
    "  parallel, the total from `lastmile_count_or_estimate` (one round trip: the planner's estimate, and an exact count",
    "  capped at 10,000 rows only when the estimate is under 1,000). The total is also exact on the last page; otherwise",
    "  large lists show the estimate (`totalIsEstimate`), so no page view counts 100,000 rows. Each filter shape is built",
    "  once and prepared. A text search is sent unprepared so it is planned with its pattern, sorts by `name || ''` so the",
    "  planner finds the matches first (trigram index) instead of walking the name index, and counts its matches exactly",
    "  in the same query (`count(*) over ()`, as it reads them all to sort them). **Raw**: the same page query only (no",
    "  total), hand-written, through the same pool, prepared (or for searches, unprepared and sorted) the same way.",
    "- **Statement, lib**: one keyset page (50 entries, 51 fetched) on `ledger_entries (reseller_id, id)` with customer",
    "  names and reversal links joined; the first and last pages start at the reseller's own newest/oldest id; in",
    "  parallel, the range totals (credits, debits, net, count) from `ledger_daily_totals` running totals (two index probes",
    "  per kind, plus at most two partial days read from the ledger when the range's days do not start at UTC midnight, as",
    "  with Asia/Dhaka) and the opening/closing balances. **Raw**: the same page query only (no totals). The reference row",
    "  shows the plain first-page query without the start bound: with 20 other resellers' entries newer than this",
    "  reseller's, the planner walks the primary key backwards through them.",
    "",
    "Seeding: set-based SQL (`generate_series`), then `VACUUM ANALYZE`. Ledger entries are inserted with the",
    "database's triggers on (the reversal check and the daily-totals trigger, which filled",
    `${seedInfo.days.toLocaleString("en-US")} days of running totals), and \`balance_after\` is the running sum, but **no journal entries are`,
    "written for the bench ledger** (and charges have no subscription), so this database deliberately fails the",
    "`every_entry_journaled` and `charge_has_subscription` invariants; nothing else is checked here.",
    "",
    ...environment.map((line) => `- ${line}`),
    "",
  );
  return lines.join("\n");
}

async function main() {
  await withBenchDatabase("lastmile_bench_lists", async (url, admin) => {
    const [{ version }] = (await admin`select current_setting('server_version') as version`) as unknown as [{ version: string }];
    const [{ shared_buffers, work_mem }] = (await admin`select current_setting('shared_buffers') as shared_buffers,
      current_setting('work_mem') as work_mem`) as unknown as [{ shared_buffers: string; work_mem: string }];

    const setup = postgres(url, { max: 1, onnotice: () => {} });
    const seeded = await seed(setup);
    await setup.end({ timeout: 5 });

    const database = connect(url, { max: 10 });
    const results: Result[] = [];
    try {
      for (const c of cases(database, seeded)) {
        process.stdout.write(`${c.group}: ${c.name}… `);
        const result = await measure(c);
        if (result.libRows !== result.rawRows) throw new Error(`${c.name}: lib returned ${result.libRows} rows, raw ${result.rawRows}`);
        results.push(result);
        console.log(`lib ${median(result.lib).toFixed(2)} ms, raw ${median(result.raw).toFixed(2)} ms (${(median(result.lib) / median(result.raw)).toFixed(2)}×)`);
      }
    } finally {
      await database.close();
    }

    const cpu = os.cpus();
    writeReportSection("Lists", 
      markdown(
        results,
        [
          `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpu.length} × ${cpu[0]?.model.trim() ?? "unknown CPU"}, ` +
            `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, PostgreSQL ${version} ` +
            `(${process.env.BENCH_DATABASE_URL ? "BENCH_DATABASE_URL" : "embedded, same machine"}; shared_buffers ${shared_buffers}, work_mem ${work_mem}).`,
          `Client: postgres.js pool of 10; lib through Drizzle on that pool, raw through the same pool's SQL (prepared statements, searches unprepared, on both sides).`,
        ],
        seeded,
      ),
    );
    const failed = results.filter((r) => !verdict(r).ok);
    if (failed.length) {
      console.log(`below target: ${failed.map((r) => `${r.c.group} / ${r.c.name}`).join("; ")}`);
      process.exitCode = 1;
    }
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runBenchmark(main);
}
