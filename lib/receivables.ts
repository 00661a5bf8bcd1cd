import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { installTimeZone } from "./config";
import { toCsv } from "./lists";
import { toDecimalString } from "./money";

export type AgingBuckets = { days0to30: bigint; days31to60: bigint; days61to90: bigint; days90plus: bigint };
export type ReceivableRow = AgingBuckets & {
  resellerId: string;
  name: string;
  type: "prepaid" | "postpaid";
  status: "active" | "suspended";
  currency: string;
  outstanding: bigint;
  collectionLimit: bigint;
  /** Share of the limit used, in percent with one decimal (null without a limit). */
  percentUsed: number | null;
  lastPaymentAt: Date | null;
};

type Raw = Record<string, string | null>;

/**
 * Accounts Receivable: every reseller that owes money, with the outstanding
 * aged first-in-first-out: payments settle the oldest charges first, so what
 * is still owed is the most recent charges, each aged by its date.
 */
export async function accountsReceivable(db: Queryable, now: Date = new Date(), timeZone: string = installTimeZone()): Promise<{ rows: ReceivableRow[]; totals: AgingBuckets & { outstanding: bigint } }> {
  const result = (await db.execute(sql`
    with recursive owing as (
      select id, name, type, status, currency, -balance as outstanding, collection_limit
      from resellers where balance < 0
    ),
    -- An owing reseller's debits, newest first, walked one index step at a
    -- time and only until they cover what it owes: older ones are paid, so a
    -- reseller with a long history costs as many steps as it has unpaid charges.
    debits as (
      select o.id as reseller_id, d.id, d.created_at, d.amount, d.amount as newer_and_this, o.outstanding
      from owing o
      cross join lateral (
        select l.id, l.created_at, -l.amount as amount from ledger_entries l
        where l.reseller_id = o.id and l.amount < 0 order by l.id desc limit 1
      ) d
      union all
      select p.reseller_id, d.id, d.created_at, d.amount, p.newer_and_this + d.amount, p.outstanding
      from debits p
      cross join lateral (
        select l.id, l.created_at, -l.amount as amount from ledger_entries l
        where l.reseller_id = p.reseller_id and l.amount < 0 and l.id < p.id order by l.id desc limit 1
      ) d
      where p.newer_and_this < p.outstanding
    ),
    unpaid as (
      select d.reseller_id,
             ((${now.toISOString()}::timestamptz at time zone ${timeZone})::date - (d.created_at at time zone ${timeZone})::date) as age,
             least(d.amount, greatest(0, d.outstanding - (d.newer_and_this - d.amount))) as owed
      from debits d
    ),
    aged as (
      select reseller_id,
             coalesce(sum(owed) filter (where age <= 30), 0) as d0,
             coalesce(sum(owed) filter (where age between 31 and 60), 0) as d31,
             coalesce(sum(owed) filter (where age between 61 and 90), 0) as d61,
             coalesce(sum(owed) filter (where age > 90), 0) as d90
      from unpaid where owed > 0 group by reseller_id
    )
    select o.id, o.name, o.type, o.status, o.currency, o.outstanding::text, o.collection_limit::text,
           coalesce(a.d0, 0)::text as d0, coalesce(a.d31, 0)::text as d31, coalesce(a.d61, 0)::text as d61, coalesce(a.d90, 0)::text as d90,
           (select max(p.created_at) from ledger_entries p
             where p.reseller_id = o.id and p.kind in ('cash_received', 'online_payment', 'balance_added')) as last_payment_at
    from owing o left join aged a on a.reseller_id = o.id
    order by o.outstanding desc, o.name
  `)) as unknown as Raw[];
  const rows: ReceivableRow[] = result.map((r) => {
    const outstanding = BigInt(r.outstanding!);
    const collectionLimit = BigInt(r.collection_limit!);
    return {
      resellerId: r.id!,
      name: r.name!,
      type: r.type as ReceivableRow["type"],
      status: r.status as ReceivableRow["status"],
      currency: r.currency!,
      outstanding,
      collectionLimit,
      percentUsed: collectionLimit > 0n ? Number((outstanding * 1000n) / collectionLimit) / 10 : null,
      lastPaymentAt: r.last_payment_at ? new Date(r.last_payment_at) : null,
      days0to30: BigInt(r.d0!),
      days31to60: BigInt(r.d31!),
      days61to90: BigInt(r.d61!),
      days90plus: BigInt(r.d90!),
    };
  });
  const sum = (pick: (r: ReceivableRow) => bigint) => rows.reduce((total, r) => total + pick(r), 0n);
  return {
    rows,
    totals: {
      outstanding: sum((r) => r.outstanding),
      days0to30: sum((r) => r.days0to30),
      days31to60: sum((r) => r.days31to60),
      days61to90: sum((r) => r.days61to90),
      days90plus: sum((r) => r.days90plus),
    },
  };
}

export async function receivablesCsv(db: Queryable): Promise<string> {
  const { rows } = await accountsReceivable(db);
  const money = (v: bigint, currency: string) => toDecimalString(v, currency);
  return toCsv(
    ["reseller", "type", "outstanding", "collection_limit", "percent_used", "last_payment_at", "0-30", "31-60", "61-90", "90+", "currency"],
    rows.map((r) => [
      r.name,
      r.type,
      money(r.outstanding, r.currency),
      money(r.collectionLimit, r.currency),
      r.percentUsed,
      r.lastPaymentAt?.toISOString(),
      money(r.days0to30, r.currency),
      money(r.days31to60, r.currency),
      money(r.days61to90, r.currency),
      money(r.days90plus, r.currency),
      r.currency,
    ]),
  );
}
