import { describe, expect, it } from "vitest";
import { recordAudit } from "@/lib/audit";
import { auditActions, auditCsv, auditSearchSchema, listAudit } from "@/lib/audit-log";
import { addBalance } from "@/lib/billing";
import { adminActor, makeReseller, newKey } from "../support/factories";
import { testDb } from "../support/fresh-database";

describe("audit log", () => {
  it("records money commands and filters by action, actor, reseller and date, with CSV", async () => {
    const { db } = testDb();
    const reseller = await makeReseller(db);
    await addBalance(db, { ...adminActor, label: "cashier@isp.test", ipAddress: "192.0.2.7" }, { resellerId: reseller.id, amount: 500n, method: "cash", idempotencyKey: newKey() });
    await recordAudit(db, { userId: null, label: "someone@isp.test", role: "system" }, { action: "auth.sign_in_failed" });

    const byAction = await listAudit(db, auditSearchSchema.parse({ action: "billing.add_balance", reseller: reseller.id }));
    expect(byAction.rows).toEqual([expect.objectContaining({ actor: "cashier@isp.test", resellerName: reseller.name, ipAddress: "192.0.2.7" })]);
    expect((await listAudit(db, auditSearchSchema.parse({ action: "auth." }))).rows.every((r) => r.action.startsWith("auth."))).toBe(true);
    expect((await listAudit(db, auditSearchSchema.parse({ q: "SOMEONE" }))).rows.map((r) => r.action)).toEqual(["auth.sign_in_failed"]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await listAudit(db, auditSearchSchema.parse({ from: today, to: today }))).total).toBeGreaterThanOrEqual(2);
    expect((await listAudit(db, auditSearchSchema.parse({ to: "2000-01-01" }))).total).toBe(0);
    expect(await auditActions(db)).toEqual(expect.arrayContaining(["auth.sign_in_failed", "billing.add_balance"]));
    const csv = await auditCsv(db, auditSearchSchema.parse({ action: "billing.add_balance", reseller: reseller.id }));
    expect(csv.split("\r\n")).toHaveLength(2);
    expect(csv).toContain("cashier@isp.test,billing.add_balance,ledger_entry");
  });
});
