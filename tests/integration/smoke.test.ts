import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { activateSubscription } from "@/lib/billing";
import { makeChargeableReseller, makeCustomer, resellerActor } from "../support/factories";
import { testDb } from "../support/fresh-database";

describe("smoke", () => {
  it("activates on a prepaid reseller", async () => {
    const { db } = testDb();
    const { reseller, pkg, area } = await makeChargeableReseller(db, { rate: 1500n, openingBalance: 5000n });
    const customer = await makeCustomer(db, reseller.id, area.id);
    const result = await activateSubscription(db, resellerActor(reseller.id), {
      resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: randomUUID(),
    });
    expect(result.balanceAfter).toBe(3500n);
  });
});
