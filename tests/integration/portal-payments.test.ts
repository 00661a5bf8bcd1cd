import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { auditLog, customerPayments, users } from "@/db/schema";
import { collectCustomerPayment, collectPaymentForm, collectionsCsv, getReceipt, listCollections, parseCollectionSearch } from "@/lib/portal/payments";
import { formatReceiptNumber } from "@/lib/vocabulary";
import { bookState, failureCode, makeArea, makeCustomer, makeReseller, makeUser, newKey, resellerActor } from "../support/factories";
import { db } from "../support/fresh-database";

async function setup() {
  const area = await makeArea(db());
  const reseller = await makeReseller(db(), { areaIds: [area.id], openingBalance: 10_000n, phone: "+880 1800-000000" });
  const user = await makeUser(db(), { role: "reseller", resellerId: reseller.id, name: "Counter Clerk" });
  const customer = await makeCustomer(db(), reseller.id, area.id, { name: "Rahim Uddin", phone: "+880 1711-000001" });
  const actor = { ...resellerActor(reseller.id), userId: user.id, label: user.name };
  return { reseller, area, customer, actor, user };
}

const paymentsOf = (resellerId: string) => db().select().from(customerPayments).where(eq(customerPayments.resellerId, resellerId));

describe("collectCustomerPayment", () => {
  it("records the payment in the reseller's cash book; the reseller's balance and ledger do not move", async () => {
    const { reseller, customer, actor, user } = await setup();
    const before = await bookState(db(), reseller.id);
    const input = collectPaymentForm.parse({ customerId: customer.id, amount: "1,250.50", method: "mobile_money", reference: " TX-77 ", note: "", idempotencyKey: newKey() });
    expect(input.amount).toBe(125_050n);
    const { payment, replayed } = await collectCustomerPayment(db(), actor, { ...input, resellerId: reseller.id });
    expect(replayed).toBe(false);
    expect(payment).toMatchObject({ resellerId: reseller.id, customerId: customer.id, amount: 125_050n, method: "mobile_money", reference: "TX-77", note: null, collectedByUserId: user.id });
    expect(payment.receiptNumber).toBeGreaterThan(0);
    const after = await bookState(db(), reseller.id);
    // No change to the books: only an audit row and, as for every keyed command, the
    // stored result of the key (collecting runs through the same runner as every create).
    expect({ ...after, audit_rows: before.audit_rows, idempotency_keys: before.idempotency_keys }).toEqual(before);
    expect(after.audit_rows).toBe((before.audit_rows as number) + 1);
    expect(after.idempotency_keys).toBe((before.idempotency_keys as number) + 1);
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.targetId, payment.id));
    expect(audit).toMatchObject({ action: "customer_payment.collect", resellerId: reseller.id, actorUserId: user.id });
  });

  it("is idempotent: the same key returns the first payment, even when submitted concurrently", async () => {
    const { reseller, customer, actor } = await setup();
    const input = { resellerId: reseller.id, customerId: customer.id, amount: 500n, method: "cash" as const, idempotencyKey: newKey() };
    const first = await collectCustomerPayment(db(), actor, input);
    const again = await collectCustomerPayment(db(), actor, input);
    expect(again.replayed).toBe(true);
    expect(again.payment).toEqual(first.payment);

    const key = newKey();
    const racing = await Promise.all(Array.from({ length: 8 }, () => collectCustomerPayment(db(), actor, { ...input, idempotencyKey: key })));
    expect(new Set(racing.map((r) => r.payment.id)).size).toBe(1);
    expect(racing.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await paymentsOf(reseller.id)).toHaveLength(2);
    const audits = await db().select().from(auditLog).where(eq(auditLog.action, "customer_payment.collect"));
    expect(audits.filter((a) => a.resellerId === reseller.id)).toHaveLength(2);
  });

  it("refuses the same key with other details (IDEMPOTENCY_CONFLICT), also across resellers", async () => {
    const { reseller, customer, actor } = await setup();
    const other = await setup();
    const key = newKey();
    await collectCustomerPayment(db(), actor, { resellerId: reseller.id, customerId: customer.id, amount: 500n, method: "cash", idempotencyKey: key });
    expect(await failureCode(collectCustomerPayment(db(), actor, { resellerId: reseller.id, customerId: customer.id, amount: 501n, method: "cash", idempotencyKey: key }))).toBe(
      "IDEMPOTENCY_CONFLICT",
    );
    expect(
      await failureCode(
        collectCustomerPayment(db(), other.actor, { resellerId: other.reseller.id, customerId: other.customer.id, amount: 500n, method: "cash", idempotencyKey: key }),
      ),
    ).toBe("IDEMPOTENCY_CONFLICT");
    expect(await paymentsOf(reseller.id)).toHaveLength(1);
    expect(await paymentsOf(other.reseller.id)).toHaveLength(0);
  });

  it("refuses bad amounts and keys", async () => {
    const { reseller, customer, actor } = await setup();
    const base = { resellerId: reseller.id, customerId: customer.id, method: "cash" as const };
    expect(await failureCode(collectCustomerPayment(db(), actor, { ...base, amount: 0n, idempotencyKey: newKey() }))).toBe("INVALID_AMOUNT");
    expect(await failureCode(collectCustomerPayment(db(), actor, { ...base, amount: -5n, idempotencyKey: newKey() }))).toBe("INVALID_AMOUNT");
    expect(await failureCode(collectCustomerPayment(db(), actor, { ...base, amount: 5n, idempotencyKey: "" }))).toBe("VALIDATION_FAILED");
    const parsed = collectPaymentForm.safeParse({ customerId: customer.id, amount: "12.345", method: "cash", idempotencyKey: newKey() });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(["amount"]);
    expect(await paymentsOf(reseller.id)).toHaveLength(0);
  });

  it("accepts payments from a suspended customer (it may be settling arrears)", async () => {
    const { reseller, area, actor } = await setup();
    const customer = await makeCustomer(db(), reseller.id, area.id, { status: "suspended" });
    const { payment } = await collectCustomerPayment(db(), actor, { resellerId: reseller.id, customerId: customer.id, amount: 100n, method: "cash", idempotencyKey: newKey() });
    expect(payment.customerId).toBe(customer.id);
  });
});

describe("getReceipt", () => {
  it("has the receipt number, customer, amount, date, reseller and who collected it", async () => {
    const { reseller, customer, actor, area } = await setup();
    const { payment } = await collectCustomerPayment(db(), actor, {
      resellerId: reseller.id,
      customerId: customer.id,
      amount: 2_000n,
      method: "cash",
      reference: "book 4",
      idempotencyKey: newKey(),
    });
    const receipt = await getReceipt(db(), reseller.id, payment.id);
    expect(receipt).toMatchObject({
      id: payment.id,
      receiptNumber: payment.receiptNumber,
      amount: 2_000n,
      method: "cash",
      reference: "book 4",
      createdAt: payment.createdAt,
      collectedBy: "Counter Clerk",
      customer: { id: customer.id, name: "Rahim Uddin", username: customer.username, phone: "+880 1711-000001", areaName: area.name },
      reseller: { id: reseller.id, name: reseller.name, phone: "+880 1800-000000", currency: "USD" },
    });
    expect(formatReceiptNumber(42)).toBe("R-000042");
  });

  it("is NOT_FOUND for another reseller's payment or a malformed id", async () => {
    const mine = await setup();
    const theirs = await setup();
    const { payment } = await collectCustomerPayment(db(), theirs.actor, { resellerId: theirs.reseller.id, customerId: theirs.customer.id, amount: 1n, method: "cash", idempotencyKey: newKey() });
    expect(await failureCode(getReceipt(db(), mine.reseller.id, payment.id))).toBe("NOT_FOUND");
    expect(await failureCode(getReceipt(db(), mine.reseller.id, "42"))).toBe("NOT_FOUND");
  });
});

describe("listCollections", () => {
  async function seeded() {
    const { reseller, customer, actor, area } = await setup();
    const second = await makeCustomer(db(), reseller.id, area.id, { name: "Karim Mia" });
    const when = ["2026-03-01T08:00:00Z", "2026-03-01T20:00:00Z", "2026-03-02T10:00:00Z", "2026-03-03T23:30:00Z", "2026-03-03T01:00:00Z"];
    const amounts = [1_000n, 2_500n, 700n, 300n, 4_000n];
    const ids: string[] = [];
    for (let i = 0; i < when.length; i++) {
      // Receipts are append-only: each is collected on its day (lastmile.as_of dates the transaction's rows).
      const { payment } = await db().transaction(async (tx) => {
        await tx.execute(sql`select set_config('lastmile.as_of', ${when[i]!}, true)`);
        return collectCustomerPayment(tx as unknown as Db, actor, {
          resellerId: reseller.id,
          customerId: i % 2 === 0 ? customer.id : second.id,
          amount: amounts[i]!,
          method: i === 2 ? "bank_transfer" : "cash",
          reference: i === 3 ? "REF-SPECIAL" : null,
          idempotencyKey: newKey(),
        });
      });
      ids.push(payment.id);
    }
    // Another reseller's collections on the same days must never show up.
    const other = await setup();
    await collectCustomerPayment(db(), other.actor, { resellerId: other.reseller.id, customerId: other.customer.id, amount: 99_999n, method: "cash", idempotencyKey: newKey() });
    return { reseller, customer, second, ids, amounts };
  }

  it("pages the reseller's own collections newest first with totals and totals per day", async () => {
    const { reseller, ids } = await seeded();
    const page = await listCollections(db(), reseller.id, parseCollectionSearch({ perPage: "10" }));
    expect(page.rows.map((r) => r.id)).toEqual([ids[3], ids[4], ids[2], ids[1], ids[0]]);
    expect(page.total).toBe(5);
    expect(page.totalAmount).toBe(8_500n);
    expect(page.days).toEqual([
      { day: "2026-03-03", payments: 2, amount: 4_300n },
      { day: "2026-03-02", payments: 1, amount: 700n },
      { day: "2026-03-01", payments: 2, amount: 3_500n },
    ]);
    expect(page.rows[0]).toMatchObject({ collectedBy: "Counter Clerk", reference: "REF-SPECIAL" });
  });

  it("groups days in the chosen time zone and filters by date, method, customer and search", async () => {
    const { reseller, second, ids } = await seeded();
    const dhaka = await listCollections(db(), reseller.id, parseCollectionSearch({ timeZone: "Asia/Dhaka" }));
    expect(dhaka.days).toEqual([
      { day: "2026-03-04", payments: 1, amount: 300n },
      { day: "2026-03-03", payments: 1, amount: 4_000n },
      { day: "2026-03-02", payments: 2, amount: 3_200n },
      { day: "2026-03-01", payments: 1, amount: 1_000n },
    ]);
    const ranged = await listCollections(db(), reseller.id, parseCollectionSearch({ from: "2026-03-02", to: "2026-03-02", timeZone: "Asia/Dhaka" }));
    expect(ranged.rows.map((r) => r.id).sort()).toEqual([ids[1], ids[2]].sort());
    expect((await listCollections(db(), reseller.id, parseCollectionSearch({ method: "bank_transfer" }))).rows.map((r) => r.id)).toEqual([ids[2]]);
    expect((await listCollections(db(), reseller.id, parseCollectionSearch({ customerId: second.id }))).total).toBe(2);
    expect((await listCollections(db(), reseller.id, parseCollectionSearch({ q: "karim" }))).total).toBe(2);
    expect((await listCollections(db(), reseller.id, parseCollectionSearch({ q: "ref-special" }))).rows.map((r) => r.id)).toEqual([ids[3]]);
    const [one] = await db().select().from(customerPayments).where(eq(customerPayments.id, ids[0]!));
    const byReceipt = await listCollections(db(), reseller.id, parseCollectionSearch({ q: formatReceiptNumber(one!.receiptNumber) }));
    expect(byReceipt.rows.map((r) => r.id)).toEqual([ids[0]]);
    const sorted = await listCollections(db(), reseller.id, parseCollectionSearch({ sort: "amount.desc" }));
    expect(sorted.rows.map((r) => r.amount)).toEqual([4_000n, 2_500n, 1_000n, 700n, 300n]);
  });

  it("exports the collections as CSV", async () => {
    const { reseller } = await seeded();
    const csv = await collectionsCsv(db(), reseller.id, parseCollectionSearch({ sort: "amount.asc" }));
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe("receipt,collected_at,customer_username,customer_name,amount,currency,method,reference,collected_by,note");
    expect(lines.slice(1).map((l) => l.split(",")[4])).toEqual(["3.00", "7.00", "10.00", "25.00", "40.00"]);
    void users;
  });
});
