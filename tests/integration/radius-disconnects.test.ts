import { createSocket, type Socket } from "node:dgram";
import { sql } from "drizzle-orm";
import radius from "radius";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateSubscription, renewSubscription } from "@/lib/billing";
import { setCustomerStatus } from "@/lib/portal/customer-commands";
import { drainDisconnects, sweepExpired } from "@/lib/radius/disconnects";
import { createRouter, listRouters, updateRouter } from "@/lib/radius/routers";
import { adminActor, failureCode, makeChargeableReseller, makeCustomer, makePackage, newKey, reprovisionRadius, resellerActor } from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";
import { openSession } from "../support/radius";

// A stand-in router: a UDP server with the `radius` package that checks each
// request's signature with the shared secret and answers as told.
type Answer = "ack" | "nak" | "silent";
const SECRET = "stand-in-router-secret";
let nas: Socket;
let nasPort = 0;
let answers: Answer[] = [];
const received: { code: string; attributes: Record<string, unknown>; signedCorrectly: boolean }[] = [];

beforeAll(async () => {
  nas = createSocket("udp4");
  nas.on("message", (message, from) => {
    let decoded;
    try {
      decoded = radius.decode({ packet: message, secret: SECRET });
    } catch {
      received.push({ code: "(bad signature)", attributes: {}, signedCorrectly: false });
      return;
    }
    received.push({ code: decoded.code, attributes: decoded.attributes, signedCorrectly: true });
    const answer = answers.shift() ?? "ack";
    if (answer === "silent") return;
    const code = decoded.code === "CoA-Request" ? (answer === "ack" ? "CoA-ACK" : "CoA-NAK") : answer === "ack" ? "Disconnect-ACK" : "Disconnect-NAK";
    const reply = radius.encode_response({ packet: decoded, code, secret: SECRET, attributes: answer === "nak" ? [["Error-Cause", "Session-Context-Not-Found"]] : [] });
    nas.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve) => nas.bind(0, "127.0.0.1", () => resolve()));
  nasPort = nas.address().port;
});

afterAll(() => new Promise<void>((resolve) => nas.close(() => resolve())));

async function outbox(customerId: string) {
  return (await db().execute(sql`select d.status, d.attempts, d.last_outcome,
      (select json_agg(a.outcome order by a.id) from radius_disconnect_attempts a where a.disconnect_id = d.id) as outcomes
    from radius_disconnects d where d.customer_id = ${customerId} order by d.id`)) as unknown as { status: string; attempts: number; last_outcome: string | null; outcomes: string[] | null }[];
}
/** Makes every pending request due now (instead of waiting out the retry delay). */
const dueNow = () => db().execute(sql`update radius_disconnects set next_attempt_at = now() where status = 'pending'`);

async function onlineCustomer() {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 10_000n });
  const customer = await makeCustomer(db(), reseller.id, area.id);
  const charge = await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
  const session = await openSession(customer.username, "127.0.0.1", "10.1.2.3");
  return { reseller, pkg, customer, charge, session };
}

describe("routers (NAS)", () => {
  it("adds a router to FreeRADIUS's nas table with its CoA port; the secret is never listed", async () => {
    const router = await createRouter(db(), adminActor, { name: "Stand-in", address: "127.0.0.1", type: "mikrotik", coaPort: nasPort, secret: SECRET, description: null });
    expect(router).toMatchObject({ name: "Stand-in", address: "127.0.0.1", coaPort: nasPort });
    expect(JSON.stringify(await listRouters(db()))).not.toContain(SECRET);
    const [row] = (await db().execute(sql`select nasname, shortname, type, secret from radius.nas where id = ${router.id}`)) as unknown as object[];
    expect(row).toEqual({ nasname: "127.0.0.1", shortname: "Stand-in", type: "mikrotik", secret: SECRET });
    // An edit with an empty secret keeps it; the same address twice is refused.
    await updateRouter(db(), adminActor, { routerId: router.id, name: "Stand-in", address: "127.0.0.1", type: "mikrotik", coaPort: nasPort, secret: undefined, description: "lab" });
    const [kept] = (await db().execute(sql`select secret from radius.nas where id = ${router.id}`)) as unknown as { secret: string }[];
    expect(kept!.secret).toBe(SECRET);
    expect(await failureCode(createRouter(db(), adminActor, { name: "Twin", address: "127.0.0.1", type: "other", coaPort: 3799, secret: "another-long-secret", description: null }))).toBe("NAME_TAKEN");
    expect(await failureCode(createRouter(db(), resellerActor(router.id.toString()), { name: "Mine", address: "127.0.0.2", type: "other", coaPort: 3799, secret: "another-long-secret", description: null }))).toBe("FORBIDDEN");
  });
});

describe("the disconnect outbox", () => {
  it("sends a correctly signed Disconnect-Request for the suspended customer's session and records the ACK", async () => {
    const { reseller, customer, session } = await onlineCustomer();
    received.length = 0;
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: "unpaid" });
    expect(await outbox(customer.id)).toEqual([{ status: "pending", attempts: 0, last_outcome: null, outcomes: null }]);
    answers = ["ack"];
    expect(await drainDisconnects(db(), { timeoutMs: 1500 })).toEqual({ attempted: 1, acked: 1, retrying: 0, failed: 0 });
    expect(received).toEqual([
      {
        code: "Disconnect-Request",
        signedCorrectly: true,
        attributes: { "User-Name": customer.username, "Acct-Session-Id": session.acctSessionId, "NAS-IP-Address": "127.0.0.1", "Framed-IP-Address": "10.1.2.3" },
      },
    ]);
    expect(await outbox(customer.id)).toEqual([{ status: "acked", attempts: 1, last_outcome: "ack", outcomes: ["ack"] }]);
    // Nothing left to send.
    expect((await drainDisconnects(db(), { timeoutMs: 1500 })).attempted).toBe(0);
  });

  it("records a NAK and a timeout, retries later, and gives up after the last attempt", async () => {
    const { reseller, customer } = await onlineCustomer();
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null });
    answers = ["nak"];
    expect(await drainDisconnects(db(), { timeoutMs: 1000 })).toMatchObject({ attempted: 1, retrying: 1 });
    // Not due again until the retry delay has passed.
    expect((await drainDisconnects(db(), { timeoutMs: 1000 })).attempted).toBe(0);
    await dueNow();
    answers = ["silent"];
    expect(await drainDisconnects(db(), { timeoutMs: 500 })).toMatchObject({ attempted: 1, retrying: 1 });
    expect(await outbox(customer.id)).toEqual([{ status: "pending", attempts: 2, last_outcome: "timeout", outcomes: ["nak", "timeout"] }]);
    answers = ["nak", "nak", "nak"];
    for (let i = 0; i < 3; i++) {
      await dueNow();
      await drainDisconnects(db(), { timeoutMs: 1000 });
    }
    expect(await outbox(customer.id)).toEqual([{ status: "failed", attempts: 5, last_outcome: "nak", outcomes: ["nak", "timeout", "nak", "nak", "nak"] }]);
  });

  it("a wrong shared secret on the router is an error, not an ACK", async () => {
    const { reseller, customer } = await onlineCustomer();
    await db().execute(sql`update radius.nas set secret = 'not-the-routers-secret' where nasname = '127.0.0.1'`);
    try {
      await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null });
      received.length = 0;
      await drainDisconnects(db(), { timeoutMs: 800 });
      expect(received.map((r) => r.code)).toEqual(["(bad signature)"]);
      expect((await outbox(customer.id))[0]).toMatchObject({ status: "pending", last_outcome: "timeout" });
    } finally {
      await db().execute(sql`update radius.nas set secret = ${SECRET} where nasname = '127.0.0.1'`);
    }
  });

  it("a package change sends a CoA-Request with the new Mikrotik-Rate-Limit", async () => {
    const { reseller, customer, charge } = await onlineCustomer();
    const faster = await makePackage(db(), { downloadMbps: 100, uploadMbps: 40 });
    await db().execute(sql`insert into reseller_package_rates (reseller_id, package_id, rate) values (${reseller.id}, ${faster.id}, 1000)`);
    await renewSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, subscriptionId: charge.subscription.id, packageId: faster.id, idempotencyKey: newKey() });
    received.length = 0;
    answers = [];
    await dueNow();
    await drainDisconnects(db(), { timeoutMs: 1500 });
    // (The request the test above left pending goes out too, now that the secret is right again.)
    const mine = received.filter((r) => r.attributes["User-Name"] === customer.username);
    expect(mine.map((r) => [r.code, r.attributes["Vendor-Specific"]])).toEqual([["CoA-Request", { "Mikrotik-Rate-Limit": "40M/100M" }]]);
    expect(await outbox(customer.id)).toEqual([{ status: "acked", attempts: 1, last_outcome: "ack", outcomes: ["ack"] }]);
  });

  it("a session on an unknown router is recorded as an error, not sent", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 10_000n });
    const customer = await makeCustomer(db(), reseller.id, area.id);
    await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
    await openSession(customer.username, "192.0.2.77");
    await setCustomerStatus(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, status: "suspended", reason: null });
    received.length = 0;
    await dueNow();
    await drainDisconnects(db(), { timeoutMs: 500 });
    expect(received).toEqual([]);
    const [row] = (await db().execute(sql`select a.outcome, a.detail from radius_disconnect_attempts a join radius_disconnects d on d.id = a.disconnect_id where d.customer_id = ${customer.id}`)) as unknown as { outcome: string; detail: string }[];
    expect(row).toEqual({ outcome: "error", detail: "no router with address 192.0.2.77 in Network > Routers" });
  });

  it("the expiry sweep queues one disconnect per open session of a customer that expired since the last sweep, once", async () => {
    await sweepExpired(db()); // start from now
    const { customer, charge } = await onlineCustomer();
    const ended = new Date(Date.now() - 1_000);
    // Back-dated by hand (a period is never rewritten by the app), as the owner of the tables.
    await ownerDb().db.execute(sql`update subscriptions set starts_at = ${new Date(ended.getTime() - 86_400_000).toISOString()}::timestamptz, expires_at = ${ended.toISOString()}::timestamptz where id = ${charge.subscription.id}`);
    await db().execute(sql`update customers set expires_at = ${ended.toISOString()}::timestamptz where id = ${customer.id}`);
    await db().execute(sql`update radius_expiry_sweep set swept_until = ${new Date(ended.getTime() - 60_000).toISOString()}::timestamptz`);
    await reprovisionRadius(db());
    expect((await sweepExpired(db())).queued).toBe(1);
    expect((await sweepExpired(db())).queued).toBe(0);
    const [row] = (await db().execute(sql`select kind, reason from radius_disconnects where customer_id = ${customer.id}`)) as unknown as object[];
    expect(row).toEqual({ kind: "disconnect", reason: "expired" });
  });
});
