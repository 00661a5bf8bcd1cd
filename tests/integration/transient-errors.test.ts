import { count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { connect } from "@/db/client";
import { auditLog, idempotencyKeys, ledgerEntries } from "@/db/schema";
import { addBalance, activateSubscription } from "@/lib/billing";
import { COMMAND_ATTEMPTS } from "@/lib/db-retry";
import { toActionError } from "@/lib/errors";
import { problemOf } from "@/lib/http-errors";
import { packageForm, updatePackage } from "@/lib/packages";
import { getPaymentSettings, updatePaymentSettings } from "@/lib/payments/settings";
import { setCustomerStatus } from "@/lib/portal/customer-commands";
import { setUserDisabled } from "@/lib/reseller-users";
import { setResellerStatus, updateReseller } from "@/lib/resellers";
import { adminActor, failureCode, ledgerOf, loadReseller, makeChargeableReseller, makeCustomer, makePackage, makeReseller, makeUser, newKey, resellerActor } from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";
import { faults, injectFault } from "../support/inject";

// Failures are injected by a trigger on the table a command writes: the
// command's transaction fails there, is rolled back by PostgreSQL, and the
// runner tries it again with the same idempotency key.
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function entriesWithKey(key: string) {
  return db().select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, key));
}

describe("the command runner retries passing failures with the same key", () => {
  for (const [name, fault] of Object.entries(faults)) {
    it(`${name} twice in a row: the third attempt posts, once`, async () => {
      const reseller = await makeReseller(db());
      const fault$ = await injectFault(ownerDb().db, "ledger_entries", fault, { times: 2 });
      cleanup = fault$.remove;
      const key = newKey();
      const result = await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 500n, method: "cash", idempotencyKey: key });
      expect(result.replayed).toBe(false);
      expect(await fault$.attempts()).toBe(3);
      expect(await entriesWithKey(key)).toHaveLength(1);
      expect((await loadReseller(db(), reseller.id)).balance).toBe(500n);
      // The same key again replays; nothing more is posted.
      const again = await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 500n, method: "cash", idempotencyKey: key });
      expect(again).toMatchObject({ replayed: true, balanceAfter: 500n });
      expect(await entriesWithKey(key)).toHaveLength(1);
    });
  }

  it("a charge whose connection drops mid-transaction is retried and charges once", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 700n, openingBalance: 1_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const fault$ = await injectFault(ownerDb().db, "ledger_entries", faults.droppedConnection, { times: 1, when: "new.kind = 'activation'" });
    cleanup = fault$.remove;
    const key = newKey();
    await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: key });
    expect(await fault$.attempts()).toBe(2);
    expect(await entriesWithKey(key)).toHaveLength(1);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(300n);
  });

  it("a suspension whose connection drops is retried: suspended once, one audit row", async () => {
    const { reseller, area } = await makeChargeableReseller(db(), { rate: 700n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const fault$ = await injectFault(ownerDb().db, "audit_log", faults.droppedConnection, { times: 1, when: "new.action = 'customer.suspend'" });
    cleanup = fault$.remove;
    const done = await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null });
    expect(done).toMatchObject({ status: "suspended", changed: true });
    const audits = await db().select({ n: count() }).from(auditLog).where(eq(auditLog.action, "customer.suspend"));
    expect(audits[0]!.n).toBe(1);
  });

  it(`gives up after ${COMMAND_ATTEMPTS} attempts with DATABASE_UNAVAILABLE, and nothing is written`, async () => {
    const reseller = await makeReseller(db());
    const fault$ = await injectFault(ownerDb().db, "ledger_entries", faults.serializationFailure, { times: 1_000 });
    cleanup = fault$.remove;
    const key = newKey();
    const outcome = await failureCode(addBalance(db(), adminActor, { resellerId: reseller.id, amount: 500n, method: "cash", idempotencyKey: key }));
    expect(outcome).toBe("DATABASE_UNAVAILABLE");
    expect(await fault$.attempts()).toBe(COMMAND_ATTEMPTS);
    expect(await ledgerOf(db(), reseller.id)).toHaveLength(0);
    expect(await db().select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key))).toHaveLength(0);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
  });

  it("other errors are not retried: a refusal fails at once", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 700n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const outcome = await failureCode(
      activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() }),
    );
    expect(outcome).toBe("INSUFFICIENT_BALANCE");
  });
});

describe("the admin's set-state commands are retried too", () => {
  // Each sets a state, so running its transaction again after a passing
  // failure leaves what one run would: the change made, one audit row.
  const commands: Record<string, { fault: keyof typeof faults; run: () => Promise<unknown> }> = {
    "reseller.update": {
      fault: "deadlock",
      run: async () => {
        const reseller = await makeReseller(db());
        await updateReseller(db(), adminActor, { resellerId: reseller.id, name: `${reseller.name} Renamed`, contactName: null, phone: null, email: null });
      },
    },
    "reseller.suspend": {
      fault: "droppedConnection",
      run: async () => {
        const reseller = await makeReseller(db());
        await setResellerStatus(db(), adminActor, { resellerId: reseller.id, status: "suspended" });
        expect((await loadReseller(db(), reseller.id)).status).toBe("suspended");
      },
    },
    "package.update": {
      fault: "serializationFailure",
      run: async () => {
        const pkg = await makePackage(db());
        const input = packageForm.parse({ name: `${pkg.name} Plus`, customerPrice: "12.00", validityDays: "30", downloadMbps: "20", uploadMbps: "5", active: "on" });
        const updated = await updatePackage(db(), adminActor, { ...input, packageId: pkg.id });
        expect(updated.name).toBe(`${pkg.name} Plus`);
      },
    },
    "user.disable": {
      fault: "droppedConnection",
      run: async () => {
        const user = await makeUser(db(), { role: "admin" });
        await setUserDisabled(db(), adminActor, { userId: user.id, disabled: true });
      },
    },
    "payments.settings": {
      fault: "deadlock",
      run: async () => {
        await updatePaymentSettings(db(), adminActor, { onlineEnabled: true, minAmount: 100n, maxAmount: 50_000n });
        expect(await getPaymentSettings(db())).toMatchObject({ onlineEnabled: true, minAmount: 100n, maxAmount: 50_000n });
      },
    },
  };

  for (const [action, { fault, run }] of Object.entries(commands)) {
    it(`${action} after a ${fault}: done once, one audit row`, async () => {
      const fault$ = await injectFault(ownerDb().db, "audit_log", faults[fault], { times: 1, when: `new.action = '${action}'` });
      cleanup = fault$.remove;
      await run();
      expect(await fault$.attempts()).toBe(2);
      const audits = await db().select({ n: count() }).from(auditLog).where(eq(auditLog.action, action));
      expect(audits[0]!.n).toBe(1);
    });
  }
});

describe("an unreachable database", () => {
  it("a command answers DATABASE_UNAVAILABLE (503 over HTTP, a 'try again' in a form)", async () => {
    // Nothing listens on port 1.
    const gone = connect("postgres://lastmile:x@127.0.0.1:1/lastmile", { max: 2 });
    try {
      const error = await addBalance(gone.db, adminActor, { resellerId: crypto.randomUUID(), amount: 1n, method: "cash", idempotencyKey: newKey() }).catch((e: unknown) => e);
      expect(toActionError(error)).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
      expect(problemOf(error)).toMatchObject({ status: 503, code: "DATABASE_UNAVAILABLE" });
      // A plain read outside a command's runner maps the same way.
      const readError = await gone.db.select().from(ledgerEntries).catch((e: unknown) => e);
      expect(toActionError(readError)).toMatchObject({ code: "DATABASE_UNAVAILABLE" });
      expect(toActionError(readError).message).toMatch(/Try again/);
      expect(problemOf(readError)).toMatchObject({ status: 503, code: "DATABASE_UNAVAILABLE" });
    } finally {
      await gone.close();
    }
  });
});
