import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { radiusInvariantChecks } from "@/lib/radius/provision";

export type Violation = { rule: string; detail: string };

/** Each check is one SQL query returning a row per violation, with a human-readable detail. */
const checks: { rule: string; query: ReturnType<typeof sql> }[] = [
  {
    rule: "balance_equals_ledger_sum",
    query: sql`select r.id || ': balance ' || r.balance || ' but ledger sums to ' || coalesce(l.total, 0) as detail
      from resellers r left join (select reseller_id, sum(amount) total from ledger_entries group by reseller_id) l
        on l.reseller_id = r.id
      where r.balance <> coalesce(l.total, 0)`,
  },
  {
    rule: "balance_after_is_running_sum",
    query: sql`select 'entry ' || id || ': balance_after ' || balance_after || ' but running sum is ' || running as detail
      from (select id, balance_after, sum(amount) over (partition by reseller_id order by id) running from ledger_entries) e
      where balance_after <> running`,
  },
  {
    rule: "prepaid_never_negative",
    query: sql`select 'entry ' || id || ': prepaid balance_after ' || balance_after as detail
      from ledger_entries where reseller_type = 'prepaid' and balance_after < 0`,
  },
  {
    rule: "postpaid_charge_within_limit",
    query: sql`select 'entry ' || id || ': outstanding ' || (-balance_after) || ' past limit ' || collection_limit as detail
      from ledger_entries
      where reseller_type = 'postpaid' and kind in ('activation', 'renewal') and -balance_after > collection_limit`,
  },
  {
    rule: "journal_entry_balances",
    query: sql`select 'journal entry ' || je.id || ' sums to ' || coalesce(sum(jl.amount), 0) as detail
      from journal_entries je left join journal_lines jl on jl.journal_entry_id = je.id
      group by je.id having coalesce(sum(jl.amount), 0) <> 0 or count(jl.id) < 2`,
  },
  {
    rule: "every_entry_journaled",
    query: sql`select 'entry ' || l.id || ' has no journal entry' as detail
      from ledger_entries l left join journal_entries je on je.ledger_entry_id = l.id where je.id is null`,
  },
  {
    rule: "reseller_account_matches_balance",
    query: sql`select r.id || ': reseller account ' || coalesce(-j.total, 0) || ' vs balance ' || r.balance as detail
      from resellers r left join (select reseller_id, sum(amount) total from journal_lines
        where account = 'reseller_accounts' group by reseller_id) j on j.reseller_id = r.id
      where r.balance <> coalesce(-j.total, 0)`,
  },
  {
    rule: "one_charge_per_subscription",
    query: sql`select 'subscription ' || s.id || ' has ' || count(l.id) || ' charges' as detail
      from subscriptions s left join ledger_entries l on l.subscription_id = s.id and l.kind in ('activation', 'renewal')
      group by s.id having count(l.id) <> 1`,
  },
  {
    rule: "charge_has_subscription",
    query: sql`select 'entry ' || id || ' is a charge without a subscription' as detail
      from ledger_entries where kind in ('activation', 'renewal') and subscription_id is null`,
  },
  {
    rule: "charge_matches_subscription_price",
    query: sql`select 'entry ' || l.id || ' charged ' || (-l.amount) || ' but subscription price is ' || s.price_charged as detail
      from ledger_entries l join subscriptions s on s.id = l.subscription_id
      where l.kind in ('activation', 'renewal') and -l.amount <> s.price_charged`,
  },
  {
    rule: "one_credit_per_payment",
    query: sql`select 'payment ' || payment_reference || ' credited ' || count(*) || ' times' as detail
      from ledger_entries where kind = 'online_payment' and payment_reference is not null
      group by payment_reference having count(*) > 1`,
  },
  {
    rule: "reversal_once_and_opposite",
    query: sql`select 'reversal ' || r.id || ' of entry ' || r.reverses_entry_id || ' is invalid' as detail
      from ledger_entries r left join ledger_entries o on o.id = r.reverses_entry_id
      where r.kind = 'reversal' and (o.id is null or o.amount <> -r.amount or o.reseller_id <> r.reseller_id)`,
  },
  {
    // The statement's range totals are read from these running totals, so they must match the ledger to the cent.
    rule: "daily_totals_match_ledger",
    query: sql`with expected as (
        select reseller_id, kind, day, credits, debits, entries,
          sum(credits) over run as cum_credits, sum(debits) over run as cum_debits, sum(entries) over run as cum_entries
        from (
          select reseller_id, kind, (created_at at time zone 'UTC')::date as day,
            coalesce(sum(amount) filter (where amount > 0), 0) as credits,
            coalesce(-sum(amount) filter (where amount < 0), 0) as debits,
            count(*) as entries
          from ledger_entries group by 1, 2, 3
        ) g
        window run as (partition by reseller_id, kind order by day)
      )
      select coalesce(e.reseller_id, t.reseller_id) || ' ' || coalesce(e.kind, t.kind) || ' ' || coalesce(e.day, t.day)
        || ': daily totals ' || coalesce(t.credits || '/' || t.debits || '/' || t.entries, 'missing')
        || ' but ledger has ' || coalesce(e.credits || '/' || e.debits || '/' || e.entries, 'nothing') as detail
      from expected e full join ledger_daily_totals t on t.reseller_id = e.reseller_id and t.kind = e.kind and t.day = e.day
      where (t.credits, t.debits, t.entries, t.cum_credits, t.cum_debits, t.cum_entries)
          is distinct from (e.credits, e.debits, e.entries, e.cum_credits, e.cum_debits, e.cum_entries)`,
  },
  // The network follows the books: FreeRADIUS's rows are exactly what customers, subscriptions and packages say.
  ...radiusInvariantChecks,
];

/**
 * Checks the money invariants on any database and returns every violation
 * found (an empty list means the books are sound).
 */
export async function checkInvariants(db: Queryable): Promise<Violation[]> {
  const violations: Violation[] = [];
  for (const check of checks) {
    const rows = (await db.execute(check.query)) as unknown as { detail: string }[];
    for (const row of rows) violations.push({ rule: check.rule, detail: row.detail });
  }
  return violations;
}
