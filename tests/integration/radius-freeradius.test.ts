import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateSubscription, renewSubscription } from "@/lib/billing";
import { setCustomerStatus } from "@/lib/portal/customer-commands";
import { setResellerStatus } from "@/lib/resellers";
import { customerNetwork, listOnlineNow } from "@/lib/radius/sessions";
import { DAY_MS, adminActor, makeChargeableReseller, makeCustomer, newKey, reprovisionRadius, resellerActor } from "../support/factories";
import { FREERADIUS, RADCLIENT, RADTEST, radclient, radtest, startFreeRadius, type RunningFreeRadius } from "../support/freeradius";
import { db, ownerDb, testDatabaseUrl } from "../support/fresh-database";

// Debian's real FreeRADIUS 3, configured by radius:config, answering from this
// test's database through the `radius` role. CI installs it (.ci/run); a
// machine without it skips this file and says so.
const installed = Boolean(FREERADIUS && RADCLIENT && RADTEST);
if (!installed) console.warn("SKIPPED: FreeRADIUS tests need Debian's freeradius and freeradius-utils (apt-get install -y freeradius freeradius-postgresql freeradius-utils).");

describe.skipIf(!installed)("Lastmile's RADIUS rows through a real FreeRADIUS", () => {
  let radius: RunningFreeRadius;
  const password = `radius-test-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    // The role is the cluster's; each test database granted it the same narrow rights in its migration.
    await ownerDb().db.execute(sql.raw(`ALTER ROLE radius WITH LOGIN PASSWORD '${password}'`)); // a role's password: the owner's business
    const url = new URL(testDatabaseUrl());
    radius = await startFreeRadius({ host: url.hostname, port: Number(url.port), name: url.pathname.slice(1), password });
  }, 90_000);

  afterAll(async () => {
    await radius?.stop();
  });

  async function activeCustomer() {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 10_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const charge = await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
    return { reseller, pkg, area, customer, charge };
  }
  const auth = (username: string, pass: string) => radtest(radius.authPort, radius.secret, username, pass);

  it("accepts an active customer with its package's Mikrotik-Rate-Limit", async () => {
    const { customer } = await activeCustomer();
    const reply = auth(customer.username, customer.servicePassword);
    expect(reply.code, reply.raw).toBe("Access-Accept");
    expect(reply.attributes["Mikrotik-Rate-Limit"]).toBe("10M/20M");
    // rlm_expiration caps the session at the paid period.
    expect(Number(reply.attributes["Session-Timeout"])).toBeGreaterThan(29 * 86_400);
  });

  it("rejects a wrong password", async () => {
    const { customer } = await activeCustomer();
    expect(auth(customer.username, `${customer.servicePassword}x`).code).toBe("Access-Reject");
  });

  it("logs each answer in radpostauth without the password tried", async () => {
    const { customer } = await activeCustomer();
    const tried = `${customer.servicePassword}x`;
    expect(auth(customer.username, tried).code).toBe("Access-Reject");
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Accept");
    const logged = await ownerDb().db.execute<{ reply: string; pass: string }>(
      sql`select reply, pass from radius.radpostauth where username = ${customer.username} order by id`,
    );
    expect(logged.map((row) => row.reply)).toEqual(["Access-Reject", "Access-Accept"]);
    expect(logged.map((row) => row.pass)).toEqual(["", ""]);
  });

  it("rejects a customer that never paid", async () => {
    const { reseller, area } = await makeChargeableReseller(db(), { rate: 1_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Reject");
  });

  it("rejects a suspended customer and lets it in again once reactivated", async () => {
    const { reseller, customer } = await activeCustomer();
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null });
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Reject");
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "active", reason: null });
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Accept");
  });

  it("rejects a customer of a suspended reseller", async () => {
    const { reseller, customer } = await activeCustomer();
    await setResellerStatus(db(), adminActor, { resellerId: reseller.id, status: "suspended" });
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Reject");
  });

  it("rejects an expired customer; a renewal lets it in again", async () => {
    const { reseller, customer, charge } = await activeCustomer();
    // The paid period ended an hour ago (moved back in the books, as time passing would).
    const ended = new Date(Date.now() - 3_600_000);
    // Back-dated by hand (a period is never rewritten by the app), as the owner of the tables.
    await ownerDb().db.execute(sql`update subscriptions set starts_at = ${new Date(ended.getTime() - 30 * DAY_MS).toISOString()}::timestamptz, expires_at = ${ended.toISOString()}::timestamptz where id = ${charge.subscription.id}`);
    await db().execute(sql`update customers set expires_at = ${ended.toISOString()}::timestamptz where id = ${customer.id}`);
    await reprovisionRadius(db());
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Reject");
    await renewSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, subscriptionId: charge.subscription.id, idempotencyKey: newKey() });
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Accept");
  });

  it("records Accounting-Start and -Stop from radclient: the session is online, then closed", async () => {
    const { reseller, customer } = await activeCustomer();
    const session = `lm-${Math.random().toString(36).slice(2, 10)}`;
    const base = { "User-Name": customer.username, "Acct-Session-Id": session, "NAS-IP-Address": "127.0.0.1", "Framed-IP-Address": "10.20.30.40", "NAS-Port": "7" };
    const start = radclient(radius.acctPort, "acct", radius.secret, { ...base, "Acct-Status-Type": "Start" });
    expect(start.code, start.raw).toBe("Accounting-Response");
    const online = await listOnlineNow(db(), { role: "reseller", resellerId: reseller.id });
    expect(online.map((s) => [s.username, s.framedIpAddress, s.customerId])).toEqual([[customer.username, "10.20.30.40", customer.id]]);
    expect((await customerNetwork(db(), { role: "admin" }, customer.id, new Date(0))).online).toBe(true);

    const stop = radclient(radius.acctPort, "acct", radius.secret, {
      ...base, "Acct-Status-Type": "Stop", "Acct-Session-Time": "120", "Acct-Input-Octets": "1000", "Acct-Output-Octets": "250000", "Acct-Terminate-Cause": "User-Request",
    });
    expect(stop.code, stop.raw).toBe("Accounting-Response");
    expect(await listOnlineNow(db(), { role: "reseller", resellerId: reseller.id })).toEqual([]);
    const network = await customerNetwork(db(), { role: "reseller", resellerId: reseller.id }, customer.id, new Date(0));
    expect(network.online).toBe(false);
    expect(network.sessions).toHaveLength(1);
    expect(network.sessions[0]!.terminateCause).toBe("User-Request");
    expect(network.usage).toMatchObject({ inputOctets: 1000n, outputOctets: 250000n });
  });

  it("enforces the package's Simultaneous-Use against radacct: a second login while a session is open is rejected", async () => {
    const { customer } = await activeCustomer(); // the factory's package allows one session
    const session = `lm-${Math.random().toString(36).slice(2, 10)}`;
    const base = { "User-Name": customer.username, "Acct-Session-Id": session, "NAS-IP-Address": "127.0.0.1", "NAS-Port": "9" };
    expect(radclient(radius.acctPort, "acct", radius.secret, { ...base, "Acct-Status-Type": "Start" }).code).toBe("Accounting-Response");
    const second = auth(customer.username, customer.servicePassword);
    expect(second.code, second.raw).toBe("Access-Reject");
    const stop = radclient(radius.acctPort, "acct", radius.secret, { ...base, "Acct-Status-Type": "Stop", "Acct-Session-Time": "60" });
    expect(stop.code, stop.raw).toBe("Accounting-Response");
    expect(auth(customer.username, customer.servicePassword).code).toBe("Access-Accept");
    // The count ran (no permission error on its tables) rather than failing open.
    expect(radius.log()).not.toMatch(/INSUFFICIENT PRIVILEGE|permission denied/i);
  });

  it("FreeRADIUS's role reads its tables but cannot touch the books", async () => {
    const url = new URL(testDatabaseUrl());
    url.username = "radius";
    url.password = password;
    const { default: postgres } = await import("postgres");
    const asRadius = postgres(url.toString(), { max: 1, onnotice: () => {} });
    try {
      await expect(asRadius`select count(*) from radius.radcheck`).resolves.toBeTruthy();
      await expect(asRadius`select count(*) from public.ledger_entries`).rejects.toThrow(/permission denied/);
      await expect(asRadius`delete from radius.radcheck`).rejects.toThrow(/permission denied/);
      await expect(asRadius`insert into radius.radcheck (username, attribute, op, value) values ('x', 'Cleartext-Password', ':=', 'x')`).rejects.toThrow(/permission denied/);
      await expect(asRadius`update customers set status = 'active'`).rejects.toThrow(/permission denied/);
    } finally {
      await asRadius.end();
    }
  });
});
