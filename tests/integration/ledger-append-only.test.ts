import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import { activateSubscription, reverseEntry } from "@/lib/billing";
import { adminActor, ledgerOf, makeChargeableReseller, makeCustomer, newKey, resellerActor } from "../support/factories";
import { ownerDb, testDb } from "../support/fresh-database";

// These tests talk to PostgreSQL directly, as someone with a SQL prompt would:
// the database itself must refuse to rewrite history, whatever the application does.
// They sign in as the owner of the tables, who has every privilege: the triggers
// hold even then (the app role is refused before any trigger: least-privilege.test.ts).
const sql = (): postgres.Sql => ownerDb().sql;

type PgFailure = { code: string; message: string } | "(succeeded)";

/** The PostgreSQL error a statement or transaction failed with. */
async function pgFailure(run: Promise<unknown>): Promise<PgFailure> {
  try {
    await run;
    return "(succeeded)";
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { code: code ?? "(none)", message };
  }
}

const RESTRICT_VIOLATION = "23001";
const CHECK_VIOLATION = "23514";

/** A prepaid reseller with an opening credit, one activation, and that activation reversed. */
async function booksWithHistory() {
  const { reseller, pkg, area } = await makeChargeableReseller(testDb().db, { rate: 1_500n, openingBalance: 10_000n });
  const customer = await makeCustomer(testDb().db, reseller.id, area.id);
  const charge = await activateSubscription(testDb().db, resellerActor(reseller.id), {
    resellerId: reseller.id,
    customerId: customer.id,
    packageId: pkg.id,
    idempotencyKey: newKey(),
  });
  await reverseEntry(testDb().db, adminActor, { entryId: charge.entry.id, reason: "Wrong customer", idempotencyKey: newKey() });
  return { reseller, charge };
}

/**
 * Posts a credit of `amount` by hand, with a journal entry whose lines are
 * `lines` (inserted one statement at a time), in one transaction.
 */
function postByHand(resellerId: string, amount: number, lines: { account: string; amount: number }[]) {
  return sql().begin(async (tx) => {
    const [entry] = await tx`insert into ledger_entries
        (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, idempotency_key)
      select id, 'balance_added', ${amount}, balance + ${amount}, type, collection_limit, 'psql', ${newKey()}
      from resellers where id = ${resellerId} returning id`;
    await tx`update resellers set balance = balance + ${amount} where id = ${resellerId}`;
    const [journal] = await tx`insert into journal_entries (ledger_entry_id, memo) values (${entry!.id}, 'by hand') returning id`;
    for (const line of lines) {
      const reseller = line.account === "reseller_accounts" ? resellerId : null;
      await tx`insert into journal_lines (journal_entry_id, account, reseller_id, amount)
        values (${journal!.id}, ${line.account}::journal_account, ${reseller}, ${line.amount})`;
    }
    return journal!.id;
  });
}

describe("append-only tables refuse to change history", () => {
  it.each([
    ["ledger_entries", "note = 'edited'"],
    ["journal_entries", "memo = 'edited'"],
    ["journal_lines", "amount = amount * 2"],
    ["audit_log", "action = 'edited'"],
  ])("%s refuses UPDATE (set %s)", async (table, change) => {
    await booksWithHistory();
    const failure = await pgFailure(sql().unsafe(`update ${table} set ${change}`));
    expect(failure).toEqual({ code: RESTRICT_VIOLATION, message: `${table} is append-only: UPDATE is not allowed` });
  });

  it.each(["ledger_entries", "journal_entries", "journal_lines", "audit_log"])("%s refuses DELETE", async (table) => {
    await booksWithHistory();
    const failure = await pgFailure(sql().unsafe(`delete from ${table}`));
    expect(failure).toEqual({ code: RESTRICT_VIOLATION, message: `${table} is append-only: DELETE is not allowed` });
  });

  it.each(["ledger_entries", "journal_lines", "audit_log"])("%s refuses TRUNCATE, even with CASCADE", async (table) => {
    await booksWithHistory();
    const failure = await pgFailure(sql().unsafe(`truncate ${table} cascade`));
    expect(failure).toEqual({ code: RESTRICT_VIOLATION, message: `${table} is append-only: TRUNCATE is not allowed` });
  });

  it("journal_entries refuses TRUNCATE, even with CASCADE", async () => {
    await booksWithHistory();
    const failure = await pgFailure(sql()`truncate journal_entries cascade`);
    // Its lines reference it, so the cascade reaches journal_lines, whose guard refuses.
    expect(failure).toEqual({ code: RESTRICT_VIOLATION, message: "journal_lines is append-only: TRUNCATE is not allowed" });
  });

  it("refuses a targeted edit of one charge's amount and leaves the ledger as it was", async () => {
    const { reseller, charge } = await booksWithHistory();
    const ledger = await ledgerOf(testDb().db, reseller.id);
    const failure = await pgFailure(sql()`update ledger_entries set amount = -1 where id = ${charge.entry.id}`);
    expect(failure).toMatchObject({ code: RESTRICT_VIOLATION });
    expect(await ledgerOf(testDb().db, reseller.id)).toEqual(ledger);
  });
});

describe("every journal entry balances when its transaction commits", () => {
  it("commits a balanced posting, even though it is unbalanced between its two line inserts", async () => {
    const { reseller } = await booksWithHistory();
    const journalId = await postByHand(reseller.id, 500, [
      { account: "cash", amount: 500 },
      { account: "reseller_accounts", amount: -500 },
    ]);
    const lines = await sql()`select amount from journal_lines where journal_entry_id = ${journalId}`;
    expect(lines).toHaveLength(2);
  });

  it("refuses at commit a journal entry whose lines are off by one, and keeps none of its writes", async () => {
    const { reseller } = await booksWithHistory();
    const ledgerBefore = await ledgerOf(testDb().db, reseller.id);
    const failure = await pgFailure(
      postByHand(reseller.id, 500, [
        { account: "cash", amount: 500 },
        { account: "reseller_accounts", amount: -499 },
      ]),
    );
    expect(failure).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringMatching(/^journal entry \d+ does not balance \(sum 1, 2 lines\)$/) });
    expect(await ledgerOf(testDb().db, reseller.id)).toEqual(ledgerBefore);
  });

  it("refuses at commit a journal entry with a single line", async () => {
    const { reseller } = await booksWithHistory();
    const failure = await pgFailure(postByHand(reseller.id, 500, [{ account: "cash", amount: 500 }]));
    expect(failure).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringContaining("does not balance (sum 500, 1 lines)") });
  });

  it("refuses at commit a journal entry with no lines", async () => {
    const { reseller } = await booksWithHistory();
    const failure = await pgFailure(postByHand(reseller.id, 500, []));
    expect(failure).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringMatching(/^journal entry \d+ has no lines$/) });
  });

  it("refuses at commit an extra line added later to an entry that balanced", async () => {
    const { charge } = await booksWithHistory();
    const failure = await pgFailure(
      sql().begin(async (tx) => {
        const [journal] = await tx`select id from journal_entries where ledger_entry_id = ${charge.entry.id}`;
        await tx`insert into journal_lines (journal_entry_id, account, amount) values (${journal!.id}, 'revenue', -1)`;
      }),
    );
    expect(failure).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringContaining("does not balance (sum -1, 3 lines)") });
  });
});

describe("amounts", () => {
  it("refuses a ledger entry of zero", async () => {
    const { reseller } = await booksWithHistory();
    const failure = await pgFailure(
      sql()`insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, idempotency_key)
        values (${reseller.id}, 'balance_added', 0, 8500, 'prepaid', 0, 'psql', ${newKey()})`,
    );
    expect(failure).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringContaining("ledger_entries_amount_non_zero") });
  });

  it("refuses a journal line of zero", async () => {
    const { charge } = await booksWithHistory();
    const [journal] = await sql()`select id from journal_entries where ledger_entry_id = ${charge.entry.id}`;
    const failure = await pgFailure(sql()`insert into journal_lines (journal_entry_id, account, amount) values (${journal!.id}, 'cash', 0)`);
    expect(failure).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringContaining("journal_lines_amount_non_zero") });
  });

  it("refuses a charge with a positive amount and a credit with a negative one", async () => {
    const { reseller } = await booksWithHistory();
    const insert = (kind: string, amount: number) =>
      sql()`insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, idempotency_key)
        values (${reseller.id}, ${kind}::ledger_kind, ${amount}, 0, 'prepaid', 0, 'psql', ${newKey()})`;
    expect(await pgFailure(insert("activation", 100))).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringContaining("ledger_entries_sign_matches_kind") });
    expect(await pgFailure(insert("cash_received", -100))).toMatchObject({ code: CHECK_VIOLATION, message: expect.stringContaining("ledger_entries_sign_matches_kind") });
  });

  it("refuses a reversal that is not the exact opposite of its entry", async () => {
    const { reseller } = await booksWithHistory();
    const [opening] = await sql()`select id, amount from ledger_entries where reseller_id = ${reseller.id} and kind = 'balance_added'`;
    const failure = await pgFailure(
      sql()`insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, reverses_entry_id, idempotency_key)
        values (${reseller.id}, 'reversal', -9999, 0, 'prepaid', 0, 'psql', ${opening!.id}, ${newKey()})`,
    );
    expect(failure).toEqual({ code: CHECK_VIOLATION, message: `invalid reversal of ledger entry ${opening!.id}` });
  });
});
