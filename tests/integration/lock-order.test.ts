import { describe, expect, it } from "vitest";
import { activateSubscription, renewSubscription, reverseEntry } from "@/lib/billing";
import { setCustomerStatus, updateCustomer } from "@/lib/portal/customer-commands";
import { adminActor, failureCode, ledgerOf, loadCustomer, makeChargeableReseller, makeCustomer, newKey, resellerActor } from "../support/factories";
import { db, ownerDb, testDatabaseUrl } from "../support/fresh-database";
import { holdRowLock, pauseAt, waitForLockWaiters } from "../support/pause";

// Commands that change a customer and commands that charge or reverse for that
// customer run on real, separate connections. Each pair is lined up the way
// that deadlocked when customer commands locked the customer row first and
// reached the reseller row only through the audit row's foreign key: the
// charge queues for the reseller row, the customer command starts behind it,
// and both go when the reseller row is let go.
const RATE = 1_000n;

async function setup() {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: RATE, openingBalance: 100n * RATE });
  const customer = await makeCustomer(db(), reseller.id, area.id);
  const actor = resellerActor(reseller.id);
  const first = await activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
  return { reseller, pkg, area, customer, actor, first };
}
type World = Awaited<ReturnType<typeof setup>>;

/** Each sets up what its command needs and returns the command, ready to start. */
const moneyCommands: Record<string, (w: World) => Promise<() => Promise<unknown>>> = {
  activate: async (w) => {
    // Activation needs a customer without a running period: reverse the first one.
    await reverseEntry(db(), adminActor, { entryId: w.first.entry.id, reason: "set up a fresh activation", idempotencyKey: newKey() });
    return () => activateSubscription(db(), w.actor, { resellerId: w.reseller.id, customerId: w.customer.id, packageId: w.pkg.id, idempotencyKey: newKey() });
  },
  renew: async (w) => () => renewSubscription(db(), w.actor, { resellerId: w.reseller.id, subscriptionId: w.first.subscription.id, idempotencyKey: newKey() }),
  reverse: async (w) => () => reverseEntry(db(), adminActor, { entryId: w.first.entry.id, reason: "wrong package", idempotencyKey: newKey() }),
};

const customerCommands: Record<string, (w: World) => Promise<unknown>> = {
  edit: (w) =>
    updateCustomer(db(), w.actor, {
      resellerId: w.reseller.id,
      customerId: w.customer.id,
      username: w.customer.username,
      name: "Renamed during a charge",
      phone: null,
      address: null,
      areaId: w.area.id,
    }),
  suspend: (w) => setCustomerStatus(db(), w.actor, { resellerId: w.reseller.id, customerId: w.customer.id, status: "suspended", reason: null }),
};

describe("lock order: reseller row, then customer row, in every command that touches both", () => {
  for (const [moneyName, prepareMoney] of Object.entries(moneyCommands)) {
    for (const [customerName, customerCommand] of Object.entries(customerCommands)) {
      it(`${customerName} started while a ${moneyName} waits for the reseller row: both finish, no deadlock`, async () => {
        const w = await setup();
        const money = await prepareMoney(w);
        const hold = await holdRowLock(testDatabaseUrl(), `select id from resellers where id = '${w.reseller.id}' for update`);
        const charge = failureCode(money());
        await waitForLockWaiters(db(), 1);
        const change = failureCode(customerCommand(w));
        await waitForLockWaiters(db(), 2);
        await hold.release();
        const outcomes = await Promise.all([charge, change]);
        expect(outcomes[1]).toBe("(succeeded)");
        // The charge went first (it queued first) and so saw the customer as it was: it succeeds too.
        expect(outcomes[0]).toBe("(succeeded)");
        const after = await loadCustomer(db(), w.customer.id);
        if (customerName === "suspend") expect(after.status).toBe("suspended");
        else expect(after.name).toBe("Renamed during a charge");
      });
    }
  }
});

describe("a suspension and a charge of the same customer serialise", () => {
  it("suspension first: an activation that starts while it is uncommitted waits for it and is refused (no charge)", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: RATE, openingBalance: 10n * RATE });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const actor = resellerActor(reseller.id);
    // The suspension stops just before its audit row, holding what it has locked and its status change.
    const pause = await pauseAt(ownerDb().db, testDatabaseUrl(), "audit_log", "new.action = 'customer.suspend'");
    const suspend = failureCode(setCustomerStatus(db(), actor, { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null }));
    await waitForLockWaiters(db(), 1);
    const activate = failureCode(activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() }));
    await waitForLockWaiters(db(), 2);
    await pause.release();
    expect(await Promise.all([suspend, activate])).toEqual(["(succeeded)", "CUSTOMER_SUSPENDED"]);
    await pause.remove();
    expect((await ledgerOf(db(), reseller.id)).filter((e) => e.kind === "activation")).toHaveLength(0);
    expect((await loadCustomer(db(), customer.id)).status).toBe("suspended");
  });

  it("activation first: a suspension that starts while it is uncommitted waits for it; the charge stands and the customer ends suspended", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: RATE, openingBalance: 10n * RATE });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const actor = resellerActor(reseller.id);
    const pause = await pauseAt(ownerDb().db, testDatabaseUrl(), "ledger_entries", "new.kind = 'activation'");
    const activate = failureCode(activateSubscription(db(), actor, { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() }));
    await waitForLockWaiters(db(), 1);
    const suspend = failureCode(setCustomerStatus(db(), actor, { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null }));
    await waitForLockWaiters(db(), 2);
    await pause.release();
    expect(await Promise.all([activate, suspend])).toEqual(["(succeeded)", "(succeeded)"]);
    await pause.remove();
    const after = await loadCustomer(db(), customer.id);
    expect(after.status).toBe("suspended");
    expect(after.expiresAt).not.toBeNull();
    expect((await ledgerOf(db(), reseller.id)).filter((e) => e.kind === "activation")).toHaveLength(1);
  });
});
