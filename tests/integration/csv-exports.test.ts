import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { onlinePayments, resellers } from "@/db/schema";
import { auditCsv, auditSearchSchema } from "@/lib/audit-log";
import { authenticate } from "@/lib/auth/sign-in";
import { activateSubscription, addBalance, recordCashReceived, reverseEntry } from "@/lib/billing";
import { allCustomersCsv, directorySearchSchema } from "@/lib/customer-directory";
import { onlinePaymentsCsv, onlinePaymentSearchSchema } from "@/lib/payments/queries";
import { customersCsv, parseCustomerSearch } from "@/lib/portal/customers";
import { collectCustomerPayment, collectionsCsv, parseCollectionSearch } from "@/lib/portal/payments";
import { receivablesCsv } from "@/lib/receivables";
import { resellersCsv, resellerSearchSchema } from "@/lib/resellers";
import { settlementsCsv, settlementSearchSchema } from "@/lib/settlements";
import { parseStatementSearch, statementCsvChunks } from "@/lib/statement";
import { adminActor, makeArea, makeCustomer, makePackage, makeReseller, resellerActor } from "../support/factories";
import { db } from "../support/fresh-database";
import { collectText } from "../support/streams";

// What a stranger, a reseller or a payer can type into any text that reaches an export.
const hostile = ["=HYPERLINK(\"http://evil.example\",\"x\")\nline two", " +1+cmd", "-2+3 note", "@SUM(A1)", "\t=1", "\r=1"];
const formula = /^\s*[=+\-@\t\r]/;
const plainNumber = /^-?\d+(\.\d+)?$/;

/** Every cell of a CSV document that a spreadsheet could run as a formula. */
function runnable(csv: string): string[] {
  const rows = Papa.parse<string[]>(csv.trim(), { newline: "\r\n" }).data;
  return rows.flat().filter((cell) => formula.test(cell) && !plainNumber.test(cell));
}

describe("every CSV export with hostile text in every text column", () => {
  it("neutralises each cell a spreadsheet could read as a formula; negative amounts stay numbers", async () => {
    const [name, contact, phone, email, address, note] = hostile;
    const area = await makeArea(db(), `${hostile[3]} area`);
    const pkg = await makePackage(db());
    const reseller = await makeReseller(db(), {
      name: `${name} ${randomUUID().slice(0, 4)}`,
      contactName: contact,
      phone,
      email,
      type: "postpaid",
      collectionLimit: 1_000_000n,
      rates: [{ packageId: pkg.id, rate: 1_000n }],
      areaIds: [area.id],
    });
    const customer = await makeCustomer(db(), reseller.id, area.id, { name: name!, phone, address, username: `u${randomUUID().slice(0, 6)}` });
    const self = resellerActor(reseller.id);
    await activateSubscription(db(), self, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: randomUUID() });
    const cash = await recordCashReceived(db(), { ...adminActor, label: contact! }, { resellerId: reseller.id, amount: 300n, method: "cash", source: "accounts_receivable", reference: email, note, idempotencyKey: randomUUID() });
    await reverseEntry(db(), adminActor, { entryId: cash.entry.id, reason: `${hostile[4]} reversed`, idempotencyKey: randomUUID() });
    await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 100n, method: "other", reference: hostile[5], note: name, idempotencyKey: randomUUID() });
    await collectCustomerPayment(db(), self, { resellerId: reseller.id, customerId: customer.id, amount: 500n, method: "cash", reference: phone, note: address, idempotencyKey: randomUUID() });
    await db().insert(onlinePayments).values({ resellerId: reseller.id, amount: 700n, currency: "USD", gatewayMode: "sandbox", startedByLabel: name!, idempotencyKey: randomUUID(), reason: note, status: "flagged" });
    // A sign-in attempt's email becomes the audit log's actor, without any account.
    await authenticate(db(), { email: "=HYPERLINK(\"http://evil.example\")@x.test", password: "guess", ipAddress: "10.0.0.1" });
    const [{ balance }] = (await db().select({ balance: resellers.balance }).from(resellers).where(eq(resellers.id, reseller.id))) as [{ balance: bigint }];
    expect(balance).toBeLessThan(0n); // the statement and receivables carry negative amounts

    const exports: Record<string, string> = {
      resellers: await resellersCsv(db(), resellerSearchSchema.parse({})),
      customers: await allCustomersCsv(db(), directorySearchSchema.parse({})),
      portalCustomers: await customersCsv(db(), reseller.id, parseCustomerSearch({})),
      collections: await collectionsCsv(db(), reseller.id, parseCollectionSearch({})),
      statement: await collectText(statementCsvChunks(db(), reseller.id, parseStatementSearch({}))),
      audit: await auditCsv(db(), auditSearchSchema.parse({})),
      payments: await settlementsCsv(db(), settlementSearchSchema.parse({})),
      receivables: await receivablesCsv(db()),
      onlinePayments: await onlinePaymentsCsv(db(), onlinePaymentSearchSchema.parse({})),
    };
    for (const [exported, csv] of Object.entries(exports)) {
      expect(runnable(csv), exported).toEqual([]);
      // The hostile text is there, only quoted out.
      expect(csv.includes("'"), exported).toBe(true);
    }
    // A negative amount is still a number a spreadsheet can add up.
    expect(Papa.parse<string[]>(exports.receivables!.trim()).data.flat()).toContain((Number(-balance) / 100).toFixed(2));
    expect(exports.statement!).toMatch(/,10\.00,/);
    expect(exports.resellers!).toContain(`,${(Number(balance) / 100).toFixed(2)},`);
  });
});
