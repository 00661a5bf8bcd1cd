import { sql as sqlFragment } from "drizzle-orm";
import type postgres from "postgres";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activateSubscription, recordCashReceived, reverseEntry } from "@/lib/billing";
import { checkInvariants, type Violation } from "@/lib/billing/invariants";
import { adminActor, makeChargeableReseller, makeCustomers, newKey, resellerActor } from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";

// Corrupting the books on purpose takes the owner of the tables (a superuser): the app role cannot.
const sql = (): postgres.Sql => ownerDb().sql;

/**
 * A reseller with some history: for prepaid an opening credit of 10,000 and two
 * activations at 1,000; for postpaid (limit 5,000) two activations and one
 * cash receipt of 500. The second activation is then reversed.
 */
async function resellerWithHistory(type: "prepaid" | "postpaid") {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), {
    type,
    rate: 1_000n,
    collectionLimit: type === "postpaid" ? 5_000n : 0n,
    openingBalance: type === "prepaid" ? 10_000n : undefined,
  });
  const customers = await makeCustomers(db(), reseller.id, area.id, 2);
  const charges = [];
  for (const customer of customers) {
    charges.push(
      await activateSubscription(db(), resellerActor(reseller.id), {
        resellerId: reseller.id,
        customerId: customer.id,
        packageId: pkg.id,
        idempotencyKey: newKey(),
      }),
    );
  }
  if (type === "postpaid") {
    await recordCashReceived(db(), adminActor, {
      resellerId: reseller.id,
      amount: 500n,
      method: "cash",
      source: "accounts_receivable",
      idempotencyKey: newKey(),
    });
  }
  const reversal = await reverseEntry(db(), adminActor, { entryId: charges[1]!.entry.id, reason: "Test history", idempotencyKey: newKey() });
  return { reseller, charges, reversal };
}

/**
 * Writes to the database as a replication apply would: with every ordinary
 * and constraint trigger off (append-only guards, deferred journal balance),
 * in one committed transaction on its own connection.
 */
async function corruptBypassingTriggers(write: (tx: postgres.TransactionSql) => Promise<unknown>) {
  await sql().begin(async (tx) => {
    await tx`SET LOCAL session_replication_role = replica`;
    await write(tx);
  });
}

/** The violations `checkInvariants` reports now that it did not report in `before`. */
async function newViolationsSince(before: Violation[]): Promise<Violation[]> {
  const known = new Set(before.map((violation) => `${violation.rule}|${violation.detail}`));
  return (await checkInvariants(db())).filter((violation) => !known.has(`${violation.rule}|${violation.detail}`));
}

const rulesOf = (violations: Violation[]) => [...new Set(violations.map((violation) => violation.rule))].sort();

describe("checkInvariants on sound books, and on duplicates it sees before they are rolled back", () => {
  it("finds nothing wrong with books written only through lib/billing", async () => {
    await resellerWithHistory("prepaid");
    await resellerWithHistory("postpaid");
    expect(await checkInvariants(db())).toEqual([]);
  });

  // The unique indexes stop duplicates, so these drop the index inside a
  // transaction, check there, and roll everything back.
  async function checkWithoutIndex(indexName: string, write: (tx: Db) => Promise<unknown>): Promise<Violation[]> {
    let seen: Violation[] = [];
    const rollback = new Error("roll back the corruption");
    // Dropping an index takes the owner of the tables.
    await ownerDb()
      .db.transaction(async (tx) => {
        const before = await checkInvariants(tx);
        await tx.execute(sqlFragment.raw(`DROP INDEX ${indexName}`));
        await write(tx as unknown as Db); // triggers stay on, so the duplicate is complete (journal, daily totals)
        const known = new Set(before.map((violation) => `${violation.rule}|${violation.detail}`));
        seen = (await checkInvariants(tx)).filter((violation) => !known.has(`${violation.rule}|${violation.detail}`));
        throw rollback;
      })
      .catch((error) => {
        if (error !== rollback) throw error;
      });
    return seen;
  }

  it("reports a subscription charged twice", async () => {
    const { reseller, charges } = await resellerWithHistory("prepaid");
    const charge = charges[0]!;
    const found = await checkWithoutIndex("ledger_entries_one_charge_per_subscription", async (tx) => {
      // A complete, balanced second posting of the same charge: only the duplicate is wrong.
      await tx.execute(sqlFragment`with entry as (
          insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label,
            customer_id, subscription_id, idempotency_key)
          select ${reseller.id}, 'activation', -1000, balance - 1000, 'prepaid', 0, 'double click',
            ${charge.entry.customerId}, ${charge.subscription.id}, ${newKey()}
          from resellers where id = ${reseller.id} returning id),
        journal as (insert into journal_entries (ledger_entry_id, memo) select id, 'duplicate' from entry returning id)
        insert into journal_lines (journal_entry_id, account, reseller_id, amount)
        select id, 'revenue'::journal_account, null, -1000 from journal union all select id, 'reseller_accounts'::journal_account, ${reseller.id}::uuid, 1000 from journal`);
      await tx.execute(sqlFragment`update resellers set balance = balance - 1000 where id = ${reseller.id}`);
    });
    expect(rulesOf(found)).toEqual(["one_charge_per_subscription"]);
    expect(found[0]!.detail).toBe(`subscription ${charge.subscription.id} has 2 charges`);
    // Rolled back: the books are sound again.
    expect(await checkInvariants(db())).toEqual([]);
  });

  it("reports an online payment credited twice", async () => {
    const { reseller } = await resellerWithHistory("postpaid");
    const paymentReference = `cs_test_${newKey()}`;
    await recordCashReceived(db(), adminActor, {
      resellerId: reseller.id,
      amount: 300n,
      method: "card",
      source: "online_payment",
      paymentReference,
      idempotencyKey: paymentReference,
    });
    const found = await checkWithoutIndex("ledger_entries_one_credit_per_payment", async (tx) => {
      await tx.execute(sqlFragment`with entry as (
          insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label,
            payment_reference, idempotency_key)
          select ${reseller.id}, 'online_payment', 300, balance + 300, 'postpaid', 5000, 'redelivered webhook', ${paymentReference}, ${newKey()}
          from resellers where id = ${reseller.id} returning id),
        journal as (insert into journal_entries (ledger_entry_id, memo) select id, 'duplicate' from entry returning id)
        insert into journal_lines (journal_entry_id, account, reseller_id, amount)
        select id, 'gateway_clearing'::journal_account, null, 300 from journal union all select id, 'reseller_accounts'::journal_account, ${reseller.id}::uuid, -300 from journal`);
      await tx.execute(sqlFragment`update resellers set balance = balance + 300 where id = ${reseller.id}`);
    });
    expect(rulesOf(found)).toEqual(["one_credit_per_payment"]);
    expect(found[0]!.detail).toBe(`payment ${paymentReference} credited 2 times`);
  });
});

// From here on each test commits its damage, so the after-each check is skipped
// and each test compares against what was reported before it struck.
describe("checkInvariants on a database corrupted behind the application's back", () => {
  it("reports a balance edited without a ledger entry", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { reseller } = await resellerWithHistory("prepaid");
    const before = await checkInvariants(db());
    await sql()`update resellers set balance = balance + 1 where id = ${reseller.id}`;

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["balance_equals_ledger_sum", "reseller_account_matches_balance"]);
    expect(found.find((violation) => violation.rule === "balance_equals_ledger_sum")!.detail).toBe(
      `${reseller.id}: balance 9001 but ledger sums to 9000`,
    );
  });

  it("reports a journal entry that no longer sums to zero", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { charges } = await resellerWithHistory("prepaid");
    const before = await checkInvariants(db());
    await corruptBypassingTriggers(
      (tx) => tx`insert into journal_lines (journal_entry_id, account, amount)
        select id, 'cash', 5 from journal_entries where ledger_entry_id = ${charges[0]!.entry.id}`,
    );

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["journal_entry_balances"]);
    expect(found[0]!.detail).toMatch(/^journal entry \d+ sums to 5$/);
  });

  it("reports a prepaid entry whose balance_after is below zero", async ({ task }) => {
    task.meta.skipInvariants = true;
    // A postpaid reseller that owes money, relabelled prepaid in its own history.
    const { reseller } = await resellerWithHistory("postpaid");
    const before = await checkInvariants(db());
    await corruptBypassingTriggers(
      (tx) => tx`update ledger_entries set reseller_type = 'prepaid' where reseller_id = ${reseller.id} and balance_after < 0`,
    );

    const found = await newViolationsSince(before);
    // Its four entries left it at -1,000, -2,000, -1,500 and -500.
    expect(rulesOf(found)).toEqual(["prepaid_never_negative"]);
    expect(found.map((violation) => violation.detail.replace(/^entry \d+: /, ""))).toEqual(
      ["-1000", "-2000", "-1500", "-500"].map((amount) => `prepaid balance_after ${amount}`),
    );
  });

  it("reports a postpaid charge that went past the limit in force", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { reseller, charges } = await resellerWithHistory("postpaid");
    const before = await checkInvariants(db());
    await corruptBypassingTriggers(
      (tx) => tx`update ledger_entries set collection_limit = 999 where id = ${charges[1]!.entry.id} and reseller_id = ${reseller.id}`,
    );

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["postpaid_charge_within_limit"]);
    expect(found[0]!.detail).toBe(`entry ${charges[1]!.entry.id}: outstanding 2000 past limit 999`);
  });

  it("reports a balance_after that is not the running sum of the ledger", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { charges } = await resellerWithHistory("prepaid");
    const before = await checkInvariants(db());
    await corruptBypassingTriggers((tx) => tx`update ledger_entries set balance_after = 1234 where id = ${charges[0]!.entry.id}`);

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["balance_after_is_running_sum"]);
    expect(found[0]!.detail).toBe(`entry ${charges[0]!.entry.id}: balance_after 1234 but running sum is 9000`);
  });

  it("reports daily totals that no longer match the ledger (the statement's range totals read them)", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { reseller } = await resellerWithHistory("prepaid");
    const before = await checkInvariants(db());
    // Only the ledger's trigger writes a total: editing one by hand takes the triggers off.
    await corruptBypassingTriggers((tx) => tx`update ledger_daily_totals set debits = debits + 1, cum_debits = cum_debits + 1 where reseller_id = ${reseller.id} and kind = 'activation'`);

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["daily_totals_match_ledger"]);
    expect(found[0]!.detail).toMatch(new RegExp(`^${reseller.id} activation \\d{4}-\\d{2}-\\d{2}: daily totals \\d+/\\d+/\\d+ but ledger has \\d+/\\d+/\\d+$`));
  });

  it("reports a ledger entry posted without its journal entry", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { reseller } = await resellerWithHistory("prepaid");
    const before = await checkInvariants(db());
    // Nothing in the schema ties a ledger row to a journal entry, so no trigger needs to be off.
    await sql().begin(async (tx) => {
      await tx`insert into ledger_entries (reseller_id, kind, amount, balance_after, reseller_type, collection_limit, actor_label, idempotency_key)
        values (${reseller.id}, 'balance_added', 700, 9700, 'prepaid', 0, 'hand-written', ${newKey()})`;
      await tx`update resellers set balance = 9700 where id = ${reseller.id}`;
    });

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["every_entry_journaled", "reseller_account_matches_balance"]);
  });

  it("reports a charge that disagrees with the price on its subscription", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { charges } = await resellerWithHistory("prepaid");
    const before = await checkInvariants(db());
    await sql()`update subscriptions set price_charged = 1001 where id = ${charges[0]!.subscription.id}`;

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["charge_matches_subscription_price"]);
    expect(found[0]!.detail).toBe(`entry ${charges[0]!.entry.id} charged 1000 but subscription price is 1001`);
  });

  it("reports a subscription that was never charged", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { reseller, charges } = await resellerWithHistory("prepaid");
    const before = await checkInvariants(db());
    const [free] = await sql()`insert into subscriptions (customer_id, reseller_id, package_id, kind, starts_at, expires_at, price_charged, customer_price)
      select customer_id, reseller_id, package_id, 'renewal', expires_at, expires_at + interval '30 days', price_charged, customer_price
      from subscriptions where id = ${charges[0]!.subscription.id} and reseller_id = ${reseller.id} returning id`;

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["one_charge_per_subscription"]);
    expect(found[0]!.detail).toBe(`subscription ${free!.id} has 0 charges`);
  });

  it("reports a reversal that does not mirror the entry it points at", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { reseller, reversal } = await resellerWithHistory("prepaid");
    const [openingCredit] = await sql()`select id from ledger_entries where reseller_id = ${reseller.id} and kind = 'balance_added'`;
    const opening = Number(openingCredit!.id);
    const before = await checkInvariants(db());
    await corruptBypassingTriggers((tx) => tx`update ledger_entries set reverses_entry_id = ${opening} where id = ${reversal.entry.id}`);

    const found = await newViolationsSince(before);
    expect(rulesOf(found)).toEqual(["reversal_once_and_opposite"]);
    expect(found[0]!.detail).toBe(`reversal ${reversal.entry.id} of entry ${opening} is invalid`);
  });

});
