import { describe, expect, it } from "vitest";
import { allCustomersCsv, directorySearchSchema, listAllCustomers } from "@/lib/customer-directory";
import { DAY_MS, makeChargeableReseller, makeCustomer } from "../support/factories";
import { testDb } from "../support/fresh-database";

describe("admin customer directory", () => {
  it("lists every reseller's customers with reseller, area, status and expiry filters, sorting, paging and CSV", async () => {
    const { db } = testDb();
    const a = await makeChargeableReseller(db, { rate: 100n });
    const b = await makeChargeableReseller(db, { rate: 100n });
    await makeCustomer(db, a.reseller.id, a.area.id, { name: "Ada Lovelace", username: "ada01" });
    await makeCustomer(db, b.reseller.id, b.area.id, { name: "Bob Smith", username: "bob01", status: "suspended" });
    await makeCustomer(db, b.reseller.id, b.area.id, { name: "Cy Young", username: "cy01", expiresAt: new Date(Date.now() + 3 * DAY_MS) });

    const ofB = await listAllCustomers(db, directorySearchSchema.parse({ reseller: b.reseller.id, sort: "name.asc" }));
    expect(ofB.rows.map((r) => r.username)).toEqual(["bob01", "cy01"]);
    expect(ofB.rows[0]).toMatchObject({ resellerName: b.reseller.name, areaName: b.area.name, expiry: "never" });
    expect((await listAllCustomers(db, directorySearchSchema.parse({ status: "suspended" }))).rows.map((r) => r.username)).toEqual(["bob01"]);
    expect((await listAllCustomers(db, directorySearchSchema.parse({ expiry: "expiring" }))).rows.map((r) => r.username)).toEqual(["cy01"]);
    expect((await listAllCustomers(db, directorySearchSchema.parse({ q: "LOVE" }))).rows.map((r) => r.username)).toEqual(["ada01"]);
    const paged = await listAllCustomers(db, directorySearchSchema.parse({ perPage: "10", sort: "username.desc" }));
    expect(paged.total).toBe(3);
    expect(paged.rows.map((r) => r.username)).toEqual(["cy01", "bob01", "ada01"]);
    const csv = await allCustomersCsv(db, directorySearchSchema.parse({ area: a.area.id }));
    expect(csv.split("\r\n")).toHaveLength(2);
    expect(csv).toContain(`ada01,Ada Lovelace,,${a.reseller.name},${a.area.name},active,,never,`);
  });
});
