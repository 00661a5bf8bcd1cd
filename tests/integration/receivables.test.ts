import { describe, expect, it } from "vitest";
import { resellerPackageRates } from "@/db/schema";
import { activateSubscription, recordCashReceived } from "@/lib/billing";
import { accountsReceivable, receivablesCsv } from "@/lib/receivables";
import { adminActor, DAY_MS, daysFromNow, makeChargeableReseller, makeCustomer, makePackage, newKey, postLedgerEntries, resellerActor } from "../support/factories";
import { ownerDb, testDb } from "../support/fresh-database";

/**
 * Moves an entry back in time: a test-only edit, made as the owner of the
 * tables with the append-only guards off in its transaction, then the
 * reseller's daily totals rebuilt to match.
 */
async function backdate(entryId: number, days: number) {
  const { sql: raw } = ownerDb();
  await raw.begin(async (tx) => {
    await tx`set local session_replication_role = replica`; // the append-only guards stay off for this transaction only
    const [moved] = await tx`update ledger_entries set created_at = now() - make_interval(days => ${days})
      where id = ${entryId} returning reseller_id`;
    const resellerId = moved!.reseller_id as string;
    await tx`delete from ledger_daily_totals where reseller_id = ${resellerId}`;
    await tx`insert into ledger_daily_totals (reseller_id, kind, day, credits, debits, entries, cum_credits, cum_debits, cum_entries)
      select reseller_id, kind, day, credits, debits, entries, sum(credits) over run, sum(debits) over run, sum(entries) over run
      from (
        select reseller_id, kind, (created_at at time zone 'UTC')::date as day,
          coalesce(sum(amount) filter (where amount > 0), 0) as credits, coalesce(-sum(amount) filter (where amount < 0), 0) as debits, count(*) as entries
        from ledger_entries where reseller_id = ${resellerId} group by 1, 2, 3
      ) g
      window run as (partition by reseller_id, kind order by day)`;
  });
}

describe("accounts receivable", () => {
  it("ages the outstanding first-in-first-out into 0-30/31-60/61-90/90+ buckets", async () => {
    const { db } = testDb();
    const { reseller, area } = await makeChargeableReseller(db, { rate: 100n, type: "postpaid", collectionLimit: 10_000n });
    const packagesByRate = [];
    for (const rate of [1000n, 2000n, 3000n, 500n]) {
      const pkg = await makePackage(db);
      await db.insert(resellerPackageRates).values({ resellerId: reseller.id, packageId: pkg.id, rate });
      packagesByRate.push(pkg);
    }
    const ages = [120, 75, 40, 5];
    for (const [i, pkg] of packagesByRate.entries()) {
      const customer = await makeCustomer(db, reseller.id, area.id);
      const { entry } = await activateSubscription(db, resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
      await backdate(entry.id, ages[i]!);
    }
    // 1,500 paid: settles the 120-day charge (1,000) and 500 of the 75-day one.
    await recordCashReceived(db, adminActor, { resellerId: reseller.id, amount: 1500n, method: "cash", source: "accounts_receivable", idempotencyKey: newKey() });

    const { rows, totals } = await accountsReceivable(db);
    const row = rows.find((r) => r.resellerId === reseller.id)!;
    expect(row).toMatchObject({ outstanding: 5000n, collectionLimit: 10_000n, percentUsed: 50, days0to30: 500n, days31to60: 3000n, days61to90: 1500n, days90plus: 0n });
    expect(row.lastPaymentAt).toBeInstanceOf(Date);
    expect(row.days0to30 + row.days31to60 + row.days61to90 + row.days90plus).toBe(row.outstanding);
    expect(totals.outstanding).toBe(rows.reduce((s, r) => s + r.outstanding, 0n));
  });

  it("lists only resellers that owe, and ages everything when no payment came", async () => {
    const { db } = testDb();
    const owing = await makeChargeableReseller(db, { rate: 700n, type: "postpaid", collectionLimit: 5_000n });
    const settled = await makeChargeableReseller(db, { rate: 700n, openingBalance: 5_000n });
    const customer = await makeCustomer(db, owing.reseller.id, owing.area.id);
    await activateSubscription(db, resellerActor(owing.reseller.id), { resellerId: owing.reseller.id, customerId: customer.id, packageId: owing.pkg.id, idempotencyKey: newKey() });
    const later = daysFromNow(100);
    const { rows } = await accountsReceivable(db, later);
    const ids = rows.map((r) => r.resellerId);
    expect(ids).toContain(owing.reseller.id);
    expect(ids).not.toContain(settled.reseller.id);
    expect(rows.find((r) => r.resellerId === owing.reseller.id)).toMatchObject({ days90plus: 700n, lastPaymentAt: null });
    const csv = await receivablesCsv(db);
    expect(csv).toContain(`${owing.reseller.name},postpaid,7.00,50.00,14,`);
  });

  it("ages a long history the same as paying the oldest charges first, charge by charge", async () => {
    const { db } = testDb();
    const { reseller } = await makeChargeableReseller(db, { rate: 100n, type: "postpaid", collectionLimit: 10_000_000n });
    // 240 days of charges with a payment every few days that never quite catches up.
    const start = Date.now() - 240 * DAY_MS;
    const entries: Parameters<typeof postLedgerEntries>[2] = [];
    for (let day = 0; day < 240; day++) {
      const at = new Date(start + day * DAY_MS);
      entries.push({ kind: day % 2 ? "renewal" : "activation", amount: -BigInt(300 + ((day * 37) % 900)), createdAt: at });
      if (day % 5 === 4) entries.push({ kind: "cash_received", amount: BigInt(1_000 + ((day * 53) % 1_000)), createdAt: new Date(at.getTime() + 3_600_000) });
    }
    await postLedgerEntries(db, reseller.id, entries);

    // The reference: payments settle the oldest charges first; what is left is aged by its day.
    let paid = entries.filter((e) => e.amount > 0n).reduce((sum, e) => sum + e.amount, 0n);
    const expected = { days0to30: 0n, days31to60: 0n, days61to90: 0n, days90plus: 0n };
    const now = new Date();
    for (const charge of entries.filter((e) => e.amount < 0n)) {
      const owed = -charge.amount - (paid < -charge.amount ? paid : -charge.amount);
      paid -= -charge.amount - owed;
      const age = Math.round((Date.parse(now.toISOString().slice(0, 10)) - Date.parse(charge.createdAt.toISOString().slice(0, 10))) / DAY_MS);
      const bucket = age <= 30 ? "days0to30" : age <= 60 ? "days31to60" : age <= 90 ? "days61to90" : "days90plus";
      expected[bucket] += owed;
    }
    const { rows } = await accountsReceivable(db, now, "UTC");
    const row = rows.find((r) => r.resellerId === reseller.id)!;
    expect(row).toMatchObject(expected);
    expect(row.days0to30 + row.days31to60 + row.days61to90 + row.days90plus).toBe(row.outstanding);
    expect(row.days90plus).toBeGreaterThan(0n); // the history is long enough to owe in every bucket
  });
});

