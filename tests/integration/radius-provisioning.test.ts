import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { activateSubscription, addBalance, renewSubscription, reverseEntry } from "@/lib/billing";
import { checkInvariants } from "@/lib/billing/invariants";
import { updatePackage } from "@/lib/packages";
import { createCustomer, resetServicePassword, setCustomerStatus, updateCustomer } from "@/lib/portal/customer-commands";
import { provisionCustomers } from "@/lib/radius/provision";
import { setResellerStatus } from "@/lib/resellers";
import {
  adminActor,
  failureCode,
  makeChargeableReseller,
  makeCustomer,
  makePackage,
  newKey,
  resellerActor,
} from "../support/factories";
import { db } from "../support/fresh-database";
import { openSession, packageGroup, queuedFor, radiusRowsOf, SUSPENDED_GROUP } from "../support/radius";

const epoch = (d: Date) => String(Math.floor(d.getTime() / 1000));

async function activated(options: { rate?: bigint; openingBalance?: bigint } = {}) {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: options.rate ?? 1_000n, openingBalance: options.openingBalance ?? 10_000n });
  const customer = await makeCustomer(db(), reseller.id, area.id);
  const charge = await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
  return { reseller, pkg, area, customer, charge };
}

async function chargeEntryId(subscriptionId: string) {
  const [row] = (await db().execute(sql`select id from ledger_entries where subscription_id = ${subscriptionId} and kind in ('activation', 'renewal')`)) as unknown as { id: string }[];
  return Number(row!.id);
}

describe("RADIUS rows follow the billing commands", () => {
  it("a new customer gets a service password but is rejected until it pays", async () => {
    const { reseller, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 5_000n });
    const customer = await createCustomer(db(), resellerActor(reseller.id), {
      resellerId: reseller.id, areaId: area.id, username: "alice.pppoe", name: "Alice", phone: null, address: null, idempotencyKey: newKey(),
    });
    expect(customer.servicePassword).toMatch(/^[0-9a-f]{16}$/);
    expect(await radiusRowsOf(db(), "alice.pppoe")).toEqual({ check: { "Cleartext-Password": `:= ${customer.servicePassword}` }, groups: [SUSPENDED_GROUP] });
  });

  it("activation writes the password, the expiry and the package group; renewal moves the expiry and the group", async () => {
    const { reseller, pkg, customer, charge } = await activated();
    expect(await radiusRowsOf(db(), customer.username)).toEqual({
      check: { "Cleartext-Password": `:= ${customer.servicePassword}`, Expiration: `:= ${epoch(charge.subscription.expiresAt)}` },
      groups: [packageGroup(pkg.id)],
    });
    const faster = await makePackage(db(), { downloadMbps: 100, uploadMbps: 50 });
    await db().execute(sql`insert into reseller_package_rates (reseller_id, package_id, rate) values (${reseller.id}, ${faster.id}, 1000)`);
    const renewal = await renewSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, subscriptionId: charge.subscription.id, packageId: faster.id, idempotencyKey: newKey() });
    expect(await radiusRowsOf(db(), customer.username)).toEqual({
      check: { "Cleartext-Password": `:= ${customer.servicePassword}`, Expiration: `:= ${epoch(renewal.subscription.expiresAt)}` },
      groups: [packageGroup(faster.id)],
    });
    const replies = (await db().execute(sql`select attribute, value from radius.radgroupreply where groupname = ${packageGroup(faster.id)}`)) as unknown as { attribute: string; value: string }[];
    expect(replies).toEqual([{ attribute: "Mikrotik-Rate-Limit", value: "50M/100M" }]);
  });

  it("a refused charge writes no RADIUS row", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 5_000n, openingBalance: 1_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const before = await radiusRowsOf(db(), customer.username);
    expect(await failureCode(activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() }))).toBe("INSUFFICIENT_BALANCE");
    expect(await radiusRowsOf(db(), customer.username)).toEqual(before);
    expect(before.groups).toEqual([SUSPENDED_GROUP]);
  });

  it("a charge rolled back with its caller's transaction leaves the RADIUS rows as they were", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 5_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const before = await radiusRowsOf(db(), customer.username);
    await expect(
      db().transaction(async (tx) => {
        await activateSubscription(tx as unknown as Db, resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
        expect((await radiusRowsOf(tx as unknown as Db, customer.username)).groups).toEqual([packageGroup(pkg.id)]);
        throw new Error("caller gives up");
      }),
    ).rejects.toThrow("caller gives up");
    expect(await radiusRowsOf(db(), customer.username)).toEqual(before);
  });

  it("suspending a customer rejects it and queues a disconnect for its open session; reactivating restores it", async () => {
    const { reseller, pkg, customer } = await activated();
    const session = await openSession(customer.username);
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null });
    expect((await radiusRowsOf(db(), customer.username)).groups).toEqual([SUSPENDED_GROUP]);
    expect(await queuedFor(db(), customer.id)).toEqual([
      { kind: "disconnect", reason: "customer_suspended", username: customer.username, acct_session_id: session.acctSessionId, status: "pending" },
    ]);
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "active", reason: null });
    expect((await radiusRowsOf(db(), customer.username)).groups).toEqual([packageGroup(pkg.id)]);
    expect(await queuedFor(db(), customer.id)).toHaveLength(1);
  });

  it("suspending a reseller rejects all its customers (one disconnect per open session); reactivating restores them", async () => {
    const { reseller, pkg, area, customer } = await activated();
    const neverPaid = await makeCustomer(db(), reseller.id, area.id);
    await openSession(customer.username);
    await openSession(neverPaid.username);
    await setResellerStatus(db(), adminActor, { resellerId: reseller.id, status: "suspended" });
    expect((await radiusRowsOf(db(), customer.username)).groups).toEqual([SUSPENDED_GROUP]);
    expect((await radiusRowsOf(db(), neverPaid.username)).groups).toEqual([SUSPENDED_GROUP]);
    expect((await queuedFor(db(), customer.id)).map((q) => q.reason)).toEqual(["reseller_suspended"]);
    expect(await queuedFor(db(), neverPaid.id)).toEqual([]);
    await setResellerStatus(db(), adminActor, { resellerId: reseller.id, status: "active" });
    expect((await radiusRowsOf(db(), customer.username)).groups).toEqual([packageGroup(pkg.id)]);
  });

  it("reversing the only charge takes the customer off the network", async () => {
    const { customer, charge } = await activated();
    await openSession(customer.username);
    await reverseEntry(db(), adminActor, { entryId: await chargeEntryId(charge.subscription.id), reason: "Charged by mistake", idempotencyKey: newKey() });
    expect(await radiusRowsOf(db(), customer.username)).toEqual({ check: { "Cleartext-Password": `:= ${customer.servicePassword}` }, groups: [SUSPENDED_GROUP] });
    expect((await queuedFor(db(), customer.id)).map((q) => [q.kind, q.reason])).toEqual([["disconnect", "no_service"]]);
  });

  it("reversing a renewal puts the expiry back to the period before it", async () => {
    const { reseller, customer, charge } = await activated();
    const renewal = await renewSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, subscriptionId: charge.subscription.id, idempotencyKey: newKey() });
    expect((await radiusRowsOf(db(), customer.username)).check.Expiration).toBe(`:= ${epoch(renewal.subscription.expiresAt)}`);
    await reverseEntry(db(), adminActor, { entryId: await chargeEntryId(renewal.subscription.id), reason: "Renewed twice", idempotencyKey: newKey() });
    expect((await radiusRowsOf(db(), customer.username)).check.Expiration).toBe(`:= ${epoch(charge.subscription.expiresAt)}`);
  });

  it("a renewal onto another package queues a CoA for the open session", async () => {
    const { reseller, customer, charge } = await activated();
    await openSession(customer.username);
    const other = await makePackage(db(), { downloadMbps: 5, uploadMbps: 1 });
    await db().execute(sql`insert into reseller_package_rates (reseller_id, package_id, rate) values (${reseller.id}, ${other.id}, 1000)`);
    await renewSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, subscriptionId: charge.subscription.id, packageId: other.id, idempotencyKey: newKey() });
    expect((await queuedFor(db(), customer.id)).map((q) => [q.kind, q.reason])).toEqual([["coa", "package_changed"]]);
  });

  it("renaming a customer moves its rows; resetting its password rewrites Cleartext-Password", async () => {
    const { reseller, pkg, area, customer } = await activated();
    await updateCustomer(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, username: "renamed.user", name: customer.name, phone: null, address: null, areaId: area.id });
    expect(await radiusRowsOf(db(), customer.username)).toEqual({ check: {}, groups: [] });
    expect((await radiusRowsOf(db(), "renamed.user")).groups).toEqual([packageGroup(pkg.id)]);
    const { servicePassword } = await resetServicePassword(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id });
    expect(servicePassword).not.toBe(customer.servicePassword);
    expect(servicePassword).toMatch(/^[a-z2-9]{14}$/);
    expect((await radiusRowsOf(db(), "renamed.user")).check["Cleartext-Password"]).toBe(`:= ${servicePassword}`);
  });

  it("another reseller cannot reset a customer's password", async () => {
    const { customer } = await activated();
    const { reseller: other } = await makeChargeableReseller(db(), { rate: 1_000n });
    expect(await failureCode(resetServicePassword(db(), resellerActor(other.id), { resellerId: other.id, customerId: customer.id }))).toBe("CUSTOMER_NOT_FOUND");
  });

  it("editing a package rewrites its group: rate limit, address pool, simultaneous sessions", async () => {
    const { pkg } = await activated();
    await updatePackage(db(), adminActor, {
      packageId: pkg.id, name: pkg.name, customerPrice: pkg.customerPrice, validityDays: pkg.validityDays, downloadMbps: 40, uploadMbps: 8, framedPool: "pool-gold", simultaneousUse: 2, active: true,
    });
    const reply = (await db().execute(sql`select attribute, op, value from radius.radgroupreply where groupname = ${packageGroup(pkg.id)} order by attribute`)) as unknown as object[];
    expect(reply).toEqual([{ attribute: "Framed-Pool", op: ":=", value: "pool-gold" }, { attribute: "Mikrotik-Rate-Limit", op: ":=", value: "8M/40M" }]);
    const check = (await db().execute(sql`select attribute, op, value from radius.radgroupcheck where groupname = ${packageGroup(pkg.id)}`)) as unknown as object[];
    expect(check).toEqual([{ attribute: "Simultaneous-Use", op: ":=", value: "2" }]);
  });

  it("rewriting one customer's rows finds them by the username index, never by reading radcheck or radusergroup whole", async () => {
    const { customer } = await activated();
    // With sequential scans priced out, a statement that could use the index must; one that cannot still scans (and is counted).
    const scans = await db().transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const counts = async () =>
        (await tx.execute(sql`select relname, seq_scan::int, idx_scan::int from pg_stat_xact_user_tables where schemaname = 'radius' and relname in ('radcheck', 'radusergroup') order by relname`)) as unknown as { relname: string; seq_scan: number; idx_scan: number }[];
      const before = await counts();
      await provisionCustomers(tx, { customerId: customer.id });
      await provisionCustomers(tx, { customerId: customer.id, previousUsername: "renamed.before" });
      const after = await counts();
      return after.map((row, i) => ({ table: row.relname, seq: row.seq_scan - before[i]!.seq_scan, index: row.idx_scan - before[i]!.idx_scan }));
    });
    expect(scans.map(({ table, seq }) => ({ table, seq }))).toEqual([{ table: "radcheck", seq: 0 }, { table: "radusergroup", seq: 0 }]);
    expect(scans.every((s) => s.index > 0)).toBe(true);
    expect((await radiusRowsOf(db(), customer.username)).check.Expiration).toBeDefined();
  });

  it("after a mixed sequence of commands the RADIUS rows equal what the books say", async () => {
    const { reseller, pkg, area, charge } = await activated({ openingBalance: 20_000n });
    const second = await makeCustomer(db(), reseller.id, area.id);
    await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: second.id, packageId: pkg.id, idempotencyKey: newKey() });
    await renewSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, subscriptionId: charge.subscription.id, idempotencyKey: newKey() });
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: second.id, status: "suspended", reason: null });
    await setResellerStatus(db(), adminActor, { resellerId: reseller.id, status: "suspended" });
    await addBalance(db(), adminActor, { resellerId: reseller.id, amount: 1_000n, method: "cash", idempotencyKey: newKey() });
    await setResellerStatus(db(), adminActor, { resellerId: reseller.id, status: "active" });
    await reverseEntry(db(), adminActor, { entryId: await chargeEntryId(charge.subscription.id), reason: "Wrong customer", idempotencyKey: newKey() });
    expect(await checkInvariants(db())).toEqual([]);
  });
});

describe("the RADIUS invariant catches rows that drifted from the books", () => {
  it("reports a missing password, a rogue row and a customer let in while suspended", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { customer } = await activated();
    expect(await checkInvariants(db())).toEqual([]);
    await db().execute(sql`delete from radius.radcheck where username = ${customer.username} and attribute = 'Cleartext-Password'`);
    await db().execute(sql`insert into radius.radcheck (username, attribute, op, value) values ('intruder', 'Cleartext-Password', ':=', 'x')`);
    await db().execute(sql`update customers set status = 'suspended' where id = ${customer.id}`);
    const rules = (await checkInvariants(db())).map((v) => `${v.rule}: ${v.detail}`);
    expect(rules).toEqual(
      expect.arrayContaining([
        `radius_radcheck_matches_books: missing from radius.radcheck: ${customer.username} Cleartext-Password := ${customer.servicePassword}`,
        "radius_radcheck_matches_books: unexpected in radius.radcheck: intruder Cleartext-Password := x",
        `radius_radusergroup_matches_books: missing from radius.radusergroup: ${customer.username} ${SUSPENDED_GROUP} 1`,
      ]),
    );
  });

  it("reports a package group whose rate limit was edited behind the books", async ({ task }) => {
    task.meta.skipInvariants = true;
    const { pkg } = await activated();
    const before = await checkInvariants(db()); // what the test above left behind
    await db().execute(sql`update radius.radgroupreply set value = '1000M/1000M' where groupname = ${packageGroup(pkg.id)}`);
    const found = (await checkInvariants(db())).filter((v) => !before.some((b) => b.detail === v.detail));
    expect(found.map((v) => v.detail).sort()).toEqual([
      `missing from radius.radgroupreply: ${packageGroup(pkg.id)} Mikrotik-Rate-Limit := 10M/20M`,
      `unexpected in radius.radgroupreply: ${packageGroup(pkg.id)} Mikrotik-Rate-Limit := 1000M/1000M`,
    ]);
  });
});
