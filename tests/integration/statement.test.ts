import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import type { LedgerEntry, LedgerKind } from "@/db/schema";
import { reverseEntry } from "@/lib/billing";
import {
  parseStatementSearch,
  statement,
  statementCsvChunks,
  type StatementSearchInput,
} from "@/lib/statement";
import { adminActor, ledgerOf, makeArea, makeCustomer, makeReseller, postLedgerEntries } from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";
import { collectText } from "../support/streams";

const at = (iso: string) => new Date(iso);

describe("the statement search's time zone", () => {
  it("treats unknown time zones as the install's (UTC by default)", () => {
    expect(parseStatementSearch({ timeZone: "Mars/Olympus" }).timeZone).toBe("UTC");
    expect(parseStatementSearch({}).timeZone).toBe("UTC");
    expect(parseStatementSearch({ timeZone: "Asia/Dhaka" }).timeZone).toBe("Asia/Dhaka");
  });
});

/** Checks ledger_daily_totals against the ledger itself: per (reseller, kind, UTC day) and running totals. */
async function dailyTotalsMismatches(database: Db) {
  return (await database.execute(sql`
    with expected as (
      select reseller_id, kind, day, credits, debits, entries,
             sum(credits) over w as cum_credits, sum(debits) over w as cum_debits, sum(entries) over w as cum_entries
      from (select reseller_id, kind, (created_at at time zone 'UTC')::date as day,
                   coalesce(sum(amount) filter (where amount > 0), 0) as credits,
                   coalesce(-sum(amount) filter (where amount < 0), 0) as debits, count(*) as entries
            from ledger_entries group by 1, 2, 3) g
      window w as (partition by reseller_id, kind order by day))
    select coalesce(e.reseller_id, t.reseller_id) as reseller_id, coalesce(e.kind, t.kind) as kind, coalesce(e.day, t.day) as day
    from expected e full join ledger_daily_totals t using (reseller_id, kind, day)
    where e.day is null or t.day is null or e.credits <> t.credits or e.debits <> t.debits or e.entries <> t.entries
       or e.cum_credits <> t.cum_credits or e.cum_debits <> t.cum_debits or e.cum_entries <> t.cum_entries`)) as unknown as unknown[];
}

type Fixture = { resellerId: string; otherId: string; entries: LedgerEntry[]; otherEntries: LedgerEntry[]; customerName: string };
let fx: Fixture;

/**
 * 40 entries over 10 days at awkward hours (around UTC and Dhaka midnights),
 * of every kind, plus a reversal; another reseller with entries interleaved.
 */
async function seed(): Promise<Fixture> {
  const area = await makeArea(db());
  const reseller = await makeReseller(db(), { type: "postpaid", collectionLimit: 10_000_000n, areaIds: [area.id] });
  const other = await makeReseller(db(), { type: "postpaid", collectionLimit: 10_000_000n });
  const customer = await makeCustomer(db(), reseller.id, area.id);
  const hours = ["00:00:00", "05:59:59", "06:00:00", "17:59:59.999", "18:00:00"];
  const kinds: { kind: Exclude<LedgerKind, "reversal">; sign: bigint }[] = [
    { kind: "balance_added", sign: 1n },
    { kind: "activation", sign: -1n },
    { kind: "cash_received", sign: 1n },
    { kind: "renewal", sign: -1n },
    { kind: "online_payment", sign: 1n },
  ];
  const mine = [];
  const theirs = [];
  let i = 0;
  for (let day = 1; day <= 8; day++) {
    for (const hour of hours) {
      const { kind, sign } = kinds[i % kinds.length]!;
      const createdAt = at(`2026-01-${String(day).padStart(2, "0")}T${hour}Z`);
      mine.push({ kind, amount: sign * BigInt(1_000 + i * 10), createdAt, note: `entry ${i}`, customerId: kind === "activation" ? customer.id : undefined });
      theirs.push({ kind, amount: sign * 7_000n, createdAt });
      i++;
    }
  }
  // Post in interleaved batches so the two resellers' ids mix.
  for (let b = 0; b < mine.length; b += 10) {
    await postLedgerEntries(db(), reseller.id, mine.slice(b, b + 10));
    await postLedgerEntries(db(), other.id, theirs.slice(b, b + 10));
  }
  // A reversal (dated now) of the first activation.
  const firstActivation = (await ledgerOf(db(), reseller.id)).find((e) => e.kind === "activation")!;
  await reverseEntry(db(), adminActor, { entryId: firstActivation.id, reason: "test reversal", idempotencyKey: randomUUID() });
  return {
    resellerId: reseller.id,
    otherId: other.id,
    entries: await ledgerOf(db(), reseller.id),
    otherEntries: await ledgerOf(db(), other.id),
    customerName: customer.name,
  };
}

beforeAll(async () => {
  fx = await seed();
});

const search = (input: StatementSearchInput = {}) => parseStatementSearch(input as Record<string, unknown>);

/** The same filters computed in JS from the whole ledger. */
function expected(entries: LedgerEntry[], lo: Date | null, hi: Date | null, kinds?: LedgerKind[]) {
  const inRange = entries.filter((e) => (!lo || e.createdAt >= lo) && (!hi || e.createdAt < hi) && (!kinds || kinds.includes(e.kind)));
  const credits = inRange.filter((e) => e.amount > 0n).reduce((s, e) => s + e.amount, 0n);
  const debits = inRange.filter((e) => e.amount < 0n).reduce((s, e) => s - e.amount, 0n);
  const before = lo ? [...entries].filter((e) => e.createdAt < lo).sort((a, b) => +a.createdAt - +b.createdAt || a.id - b.id).at(-1) : undefined;
  const upTo = hi ? [...entries].filter((e) => e.createdAt < hi).sort((a, b) => +a.createdAt - +b.createdAt || a.id - b.id).at(-1) : entries.at(-1);
  return {
    ids: inRange.map((e) => e.id).sort((a, b) => b - a),
    totals: { credits, debits, net: credits - debits, entries: inRange.length },
    opening: lo ? (before?.balanceAfter ?? 0n) : 0n,
    closing: upTo?.balanceAfter ?? 0n,
  };
}

describe("statement: rows and keyset paging", () => {
  it("shows the reseller's whole ledger newest first with the stored running balance", async () => {
    const page = await statement(db(), fx.resellerId, search({ perPage: "100" }));
    expect(page.rows.map((r) => r.id)).toEqual(fx.entries.map((e) => e.id).reverse());
    for (const row of page.rows) {
      const entry = fx.entries.find((e) => e.id === row.id)!;
      expect(row.balanceAfter).toBe(entry.balanceAfter);
      expect(row.amount).toBe(entry.amount);
    }
    expect(page.rows[0]!.balanceAfter).toBe(page.currentBalance);
    expect(page.hasNewer).toBe(false);
    expect(page.hasOlder).toBe(false);
    const activation = page.rows.find((r) => r.kind === "activation" && r.customerId)!;
    expect(activation.customerName).toBe(fx.customerName);
    const reversed = page.rows.find((r) => r.reversedByEntryId !== null)!;
    expect(page.rows.find((r) => r.id === reversed.reversedByEntryId)!.reversesEntryId).toBe(reversed.id);
  });

  it("pages first → next → … → last and back with prev, every entry exactly once", async () => {
    const all = fx.entries.map((e) => e.id).reverse();
    const seen: number[] = [];
    let page = await statement(db(), fx.resellerId, search({ perPage: "10" }));
    expect(page.hasNewer).toBe(false);
    seen.push(...page.rows.map((r) => r.id));
    while (page.hasOlder) {
      page = await statement(db(), fx.resellerId, search({ perPage: "10", direction: "next", cursor: String(page.olderCursor) }));
      expect(page.hasNewer).toBe(true);
      seen.push(...page.rows.map((r) => r.id));
    }
    expect(seen).toEqual(all);

    const last = await statement(db(), fx.resellerId, search({ perPage: "10", direction: "last" }));
    expect(last.rows.map((r) => r.id)).toEqual(all.slice(-10));
    expect(last.hasOlder).toBe(false);
    expect(last.hasNewer).toBe(true);

    const back: number[][] = [last.rows.map((r) => r.id)];
    let up = last;
    while (up.hasNewer) {
      up = await statement(db(), fx.resellerId, search({ perPage: "10", direction: "prev", cursor: String(up.newerCursor) }));
      back.unshift(up.rows.map((r) => r.id));
    }
    // Going back up ends on a full newest page.
    expect(back[0]).toEqual(all.slice(0, 10));
    expect(up.search.direction).toBe("first");
    expect(new Set(back.flat())).toEqual(new Set(all));
  });

  it("a cursor from another reseller's ledger only ever pages this reseller's entries", async () => {
    const foreign = fx.otherEntries[20]!.id;
    for (const direction of ["next", "prev"] as const) {
      const page = await statement(db(), fx.resellerId, search({ perPage: "100", direction, cursor: String(foreign) }));
      const mine = new Set(fx.entries.map((e) => e.id));
      expect(page.rows.length).toBeGreaterThan(0);
      expect(page.rows.every((r) => mine.has(r.id))).toBe(true);
    }
    const theirs = await statement(db(), fx.otherId, search({ perPage: "100" }));
    expect(theirs.rows.map((r) => r.id)).toEqual(fx.otherEntries.map((e) => e.id).reverse());
  });

  it("filters by kind", async () => {
    const page = await statement(db(), fx.resellerId, search({ perPage: "100", kinds: "activation,renewal" }));
    expect(page.rows.map((r) => r.id)).toEqual(expected(fx.entries, null, null, ["activation", "renewal"]).ids);
    expect(new Set(page.rows.map((r) => r.kind))).toEqual(new Set(["activation", "renewal"]));
    const viaArray = await statement(db(), fx.resellerId, search({ perPage: "100", kinds: ["renewal", "activation", "nonsense"] as never }));
    // An unknown kind makes the whole filter invalid: it falls back to every kind.
    expect(viaArray.rows).toHaveLength(fx.entries.length);
  });
});

describe("statement: totals for the range", () => {
  const cases: { name: string; input: StatementSearchInput; lo: string | null; hi: string | null; kinds?: LedgerKind[] }[] = [
    { name: "all time", input: {}, lo: null, hi: null },
    { name: "one UTC day", input: { from: "2026-01-03", to: "2026-01-03" }, lo: "2026-01-03T00:00:00Z", hi: "2026-01-04T00:00:00Z" },
    { name: "several UTC days", input: { from: "2026-01-02", to: "2026-01-06" }, lo: "2026-01-02T00:00:00Z", hi: "2026-01-07T00:00:00Z" },
    { name: "open start", input: { to: "2026-01-04" }, lo: null, hi: "2026-01-05T00:00:00Z" },
    { name: "open end", input: { from: "2026-01-05" }, lo: "2026-01-05T00:00:00Z", hi: null },
    { name: "Dhaka days (UTC+6)", input: { from: "2026-01-03", to: "2026-01-05", timeZone: "Asia/Dhaka" }, lo: "2026-01-02T18:00:00Z", hi: "2026-01-05T18:00:00Z" },
    { name: "one Dhaka day (inside one UTC day boundary)", input: { from: "2026-01-04", to: "2026-01-04", timeZone: "Asia/Dhaka" }, lo: "2026-01-03T18:00:00Z", hi: "2026-01-04T18:00:00Z" },
    { name: "Kolkata days (UTC+5:30)", input: { from: "2026-01-02", to: "2026-01-07", timeZone: "Asia/Kolkata" }, lo: "2026-01-01T18:30:00Z", hi: "2026-01-07T18:30:00Z" },
    { name: "New York days (UTC-5)", input: { from: "2026-01-02", to: "2026-01-03", timeZone: "America/New_York" }, lo: "2026-01-02T05:00:00Z", hi: "2026-01-04T05:00:00Z" },
    { name: "kinds in a range", input: { from: "2026-01-02", to: "2026-01-06", kinds: "cash_received,renewal" }, lo: "2026-01-02T00:00:00Z", hi: "2026-01-07T00:00:00Z", kinds: ["cash_received", "renewal"] },
    { name: "kinds, Dhaka, open end", input: { from: "2026-01-06", kinds: "activation,reversal", timeZone: "Asia/Dhaka" }, lo: "2026-01-05T18:00:00Z", hi: null, kinds: ["activation", "reversal"] },
    { name: "a range with no entries", input: { from: "2025-06-01", to: "2025-06-30" }, lo: "2025-06-01T00:00:00Z", hi: "2025-07-01T00:00:00Z" },
    { name: "to before from", input: { from: "2026-01-05", to: "2026-01-02" }, lo: "2026-01-05T00:00:00Z", hi: "2026-01-03T00:00:00Z" },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const want = expected(fx.entries, c.lo ? at(c.lo) : null, c.hi ? at(c.hi) : null, c.kinds);
      const page = await statement(db(), fx.resellerId, search({ ...c.input, perPage: "100" }));
      expect(page.totals).toEqual(want.totals);
      expect(page.rows.map((r) => r.id)).toEqual(want.ids);
      expect(page.openingBalance).toBe(want.opening);
      if (c.lo === null || c.hi === null || at(c.lo) < at(c.hi)) expect(page.closingBalance).toBe(want.closing);
    });
  }
});

describe("ledger_daily_totals (trigger-kept)", () => {
  it("agrees with the ledger after every posting above, including a reversal", async () => {
    expect(await dailyTotalsMismatches(db())).toEqual([]);
  });

  it("stays right when an entry is dated before days already summed, and for a multi-row insert spanning days", async () => {
    const reseller = await makeReseller(db(), { type: "postpaid", collectionLimit: 1_000_000n });
    await postLedgerEntries(db(), reseller.id, [
      { kind: "balance_added", amount: 500n, createdAt: at("2026-02-10T10:00:00Z") },
      { kind: "balance_added", amount: 700n, createdAt: at("2026-02-12T10:00:00Z") },
    ]);
    // Dated before both (a transaction that started before midnight commits after later ones).
    await postLedgerEntries(db(), reseller.id, [{ kind: "balance_added", amount: 300n, createdAt: at("2026-02-09T23:59:59Z") }]);
    expect(await dailyTotalsMismatches(db())).toEqual([]);

    // One INSERT with rows on three days, one before, one between and one after the existing days.
    await db().transaction(async (tx) => {
      const [row] = (await tx.execute(sql`select balance, type, collection_limit from resellers where id = ${reseller.id} for update`)) as unknown as {
        balance: bigint;
      }[];
      const start = BigInt(row!.balance);
      const values = [
        { amount: 11n, at: "2026-02-08T12:00:00Z" },
        { amount: 13n, at: "2026-02-11T12:00:00Z" },
        { amount: 17n, at: "2026-02-13T12:00:00Z" },
      ];
      let running = start;
      const rows = values.map((v) => {
        running += v.amount;
        return sql`(${reseller.id}::uuid, 'cash_received'::ledger_kind, ${v.amount.toString()}::bigint, ${running.toString()}::bigint, 'postpaid'::reseller_type, 1000000, 'test', ${randomUUID()}, ${v.at}::timestamptz)`;
      });
      const inserted = (await tx.execute(sql`insert into ledger_entries
          (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, idempotency_key, created_at)
          values ${sql.join(rows, sql`, `)} returning id, amount`)) as unknown as { id: number; amount: bigint }[];
      for (const entry of inserted) {
        const [journal] = (await tx.execute(sql`insert into journal_entries (ledger_entry_id, memo) values (${entry.id}, 'test') returning id`)) as unknown as { id: number }[];
        await tx.execute(sql`insert into journal_lines (journal_entry_id, account, reseller_id, amount) values
          (${journal!.id}, 'cash', null, ${String(entry.amount)}), (${journal!.id}, 'reseller_accounts', ${reseller.id}, ${String(-BigInt(entry.amount))})`);
      }
      await tx.execute(sql`update resellers set balance = ${running.toString()} where id = ${reseller.id}`);
    });
    expect(await dailyTotalsMismatches(db())).toEqual([]);

    const page = await statement(db(), reseller.id, search({ from: "2026-02-09", to: "2026-02-12" }));
    expect(page.totals).toEqual({ credits: 300n + 500n + 13n + 700n, debits: 0n, net: 1_513n, entries: 4 });
  });

  it("cannot be deleted from, even by the owner of the tables", async () => {
    const error = await ownerDb()
      .db.execute(sql`delete from ledger_daily_totals`)
      .then(() => null, (e: { cause?: Error }) => e.cause ?? e);
    expect(String((error as Error | null)?.message)).toMatch(/append-only/);
  });
});

describe("statement CSV", () => {
  it("exports the filtered statement oldest first with credit and debit columns", async () => {
    const csv = await collectText(statementCsvChunks(db(), fx.resellerId, search({ kinds: "activation" })));
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toBe("entry,posted_at,kind,description,customer,credit,debit,balance_after,currency,method,reference,recorded_by,reverses_entry");
    const activations = fx.entries.filter((e) => e.kind === "activation");
    expect(lines.slice(1).map((l) => Number(l.split(",")[0]))).toEqual(activations.map((e) => e.id));
    const first = lines[1]!.split(",");
    expect(first[2]).toBe("Activation");
    expect(first[5]).toBe("");
    expect(first[6]).toBe((Number(-activations[0]!.amount) / 100).toFixed(2));
  });

  it("streams in chunks and never includes another reseller's entries", async () => {
    let text = "";
    for await (const chunk of statementCsvChunks(db(), fx.otherId, search())) text += chunk;
    const ids = text.trim().split("\r\n").slice(1).map((l) => Number(l.split(",")[0]));
    expect(ids).toEqual(fx.otherEntries.map((e) => e.id));
  });
});
