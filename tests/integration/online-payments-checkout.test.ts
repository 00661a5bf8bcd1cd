import { and, asc, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditLog, ledgerEntries, onlinePayments } from "@/db/schema";
import { activateSubscription } from "@/lib/billing";
import { appBaseUrl } from "@/lib/config";
import { DomainError } from "@/lib/errors";
import {
  cancelOnlinePayment,
  gatewayFor,
  getOwnOnlinePayment,
  onlinePaymentAvailability,
  reconcilePending,
  refreshOnlinePayment,
  startOnlinePayment,
} from "@/lib/payments/checkout";
import { gatewayConfig, stripeGateway, type Gateway } from "@/lib/payments/gateway";
import { listOnlinePayments, onlinePaymentAlerts, onlinePaymentSearchSchema, onlinePaymentsCsv } from "@/lib/payments/queries";
import { defaultBounds, getPaymentSettings, updatePaymentSettings } from "@/lib/payments/settings";
import { adminActor, failureCode, loadReseller, makeChargeableReseller, makeCustomers, makeReseller, newKey, resellerActor } from "../support/factories";
import { startFakeStripe, type FakeStripe } from "../support/fake-stripe";
import { db } from "../support/fresh-database";

let fake: FakeStripe;
let gateway: Gateway;

beforeAll(async () => {
  fake = await startFakeStripe();
  gateway = stripeGateway({ mode: "test", secretKey: "sk_test_123", apiUrl: fake.url });
});
afterAll(async () => {
  await fake?.close();
});
afterEach(async () => {
  fake.recover();
  // Each test starts with online payment on and the default bounds.
  await updatePaymentSettings(db(), adminActor, { onlineEnabled: true, ...defaultBounds("USD") });
});

async function loadPayment(id: string) {
  const [row] = await db().select().from(onlinePayments).where(eq(onlinePayments.id, id));
  return row!;
}
const paymentsOf = (resellerId: string) => db().select().from(onlinePayments).where(eq(onlinePayments.resellerId, resellerId));
const onlineCredits = (resellerId: string) =>
  db()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.resellerId, resellerId), eq(ledgerEntries.kind, "online_payment")));
const auditsOf = (paymentId: string) =>
  db()
    .select({ action: auditLog.action, details: auditLog.details, actorLabel: auditLog.actorLabel })
    .from(auditLog)
    .where(eq(auditLog.targetId, paymentId))
    .orderBy(asc(auditLog.id));

/** A reseller and its own actor, ready to pay online. */
async function payer(overrides: Parameters<typeof makeReseller>[1] = {}) {
  const reseller = await makeReseller(db(), overrides);
  return { reseller, actor: { ...resellerActor(reseller.id), label: "Counter Clerk" } };
}

/** Starts a payment through the fake Stripe API and returns the stored row. */
async function started(amount = 5_000n, options: { gateway?: Gateway } = {}) {
  const { reseller, actor } = await payer();
  const key = newKey();
  const result = await startOnlinePayment(db(), actor, options.gateway ?? gateway, { resellerId: reseller.id, amount, idempotencyKey: key });
  return { reseller, actor, key, result, payment: await loadPayment(result.onlinePaymentId) };
}

describe("startOnlinePayment through the Stripe API", () => {
  it("creates a Checkout Session with the server's amount, the payment's ids in metadata and its key as Idempotency-Key", async () => {
    const { reseller, actor } = await payer();
    const key = newKey();
    const from = fake.requests.length;
    const result = await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 12_345n, idempotencyKey: key });

    const requests = fake.since(from);
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request).toMatchObject({ method: "POST", path: "/v1/checkout/sessions" });
    expect(request!.headers.authorization).toBe("Bearer sk_test_123");
    expect(request!.headers["idempotency-key"]).toBe(key);
    expect(request!.headers["content-type"]).toMatch(/application\/x-www-form-urlencoded/);
    const payment = await loadPayment(result.onlinePaymentId);
    expect(request!.body).toMatchObject({
      mode: "payment",
      "line_items[0][quantity]": "1",
      "line_items[0][price_data][unit_amount]": "12345",
      "line_items[0][price_data][currency]": "usd",
      "line_items[0][price_data][product_data][name]": `Payment from ${reseller.name}`,
      client_reference_id: payment.id,
      "metadata[online_payment_id]": payment.id,
      "metadata[reseller_id]": reseller.id,
      "payment_intent_data[metadata][online_payment_id]": payment.id,
      "payment_intent_data[metadata][reseller_id]": reseller.id,
      success_url: `${appBaseUrl()}/portal/pay-online/${payment.id}`,
      cancel_url: `${appBaseUrl()}/portal/pay-online/${payment.id}?canceled=1`,
    });
    expect(request!.body).not.toHaveProperty("customer_email");

    const session = fake.sessions.get(payment.checkoutSessionId!)!;
    expect(session).toBeDefined();
    expect(result).toEqual({ onlinePaymentId: payment.id, checkoutUrl: session.url, replayed: false });
    expect(session.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    expect(payment).toMatchObject({
      resellerId: reseller.id,
      amount: 12_345n,
      currency: "USD",
      status: "pending",
      gatewayMode: "test",
      checkoutSessionId: session.id,
      checkoutUrl: session.url,
      idempotencyKey: key,
      startedByLabel: "Counter Clerk",
      ledgerEntryId: null,
    });
    expect(payment.checkoutSessionId).toMatch(/^cs_test_/);
    const audits = await auditsOf(payment.id);
    expect(audits).toEqual([{ action: "online_payment.started", actorLabel: "Counter Clerk", details: { amount: "123.45", mode: "test" } }]);
    // Starting moves no money.
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
  });

  it("passes the payer's email to Stripe when given", async () => {
    const { reseller, actor } = await payer();
    const from = fake.requests.length;
    await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: newKey(), email: "payer@example.test" });
    expect(fake.since(from)[0]!.body.customer_email).toBe("payer@example.test");
  });

  it("the admin may start a payment for a reseller", async () => {
    const { reseller } = await payer();
    const result = await startOnlinePayment(db(), adminActor, gateway, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: newKey() });
    expect(await loadPayment(result.onlinePaymentId)).toMatchObject({ status: "pending", startedByLabel: adminActor.label });
  });

  it("the same key again returns the same checkout: no second row, no second call to Stripe", async () => {
    const { reseller, actor, key, result } = await started(2_000n);
    const from = fake.requests.length;
    const again = await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 2_000n, idempotencyKey: key });
    expect(again).toEqual({ ...result, replayed: true });
    expect(fake.since(from)).toHaveLength(0);
    expect(await paymentsOf(reseller.id)).toHaveLength(1);
  });

  it("a double click (the same key twice at once, Stripe slow to answer) returns the same checkout to both", async () => {
    const { reseller, actor } = await payer();
    const key = newKey();
    fake.delay(300);
    const start = () => startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 2_000n, idempotencyKey: key });
    const outcomes = await Promise.allSettled([start(), start()]);
    expect(outcomes.map((o) => (o.status === "fulfilled" ? "ok" : String((o.reason as Error).message)))).toEqual(["ok", "ok"]);
    const [a, b] = outcomes.map((o) => (o as PromiseFulfilledResult<Awaited<ReturnType<typeof start>>>).value);
    expect(a!.checkoutUrl).toBe(b!.checkoutUrl);
    expect(a!.onlinePaymentId).toBe(b!.onlinePaymentId);
    expect([a!.replayed, b!.replayed].sort()).toEqual([false, true]);
    const rows = await paymentsOf(reseller.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "pending", checkoutUrl: a!.checkoutUrl });
    // Stripe's idempotency made the two calls one session.
    expect([...fake.sessions.values()].filter((s) => s.client_reference_id === rows[0]!.id)).toHaveLength(1);
  });

  it("the same key with another amount or another reseller is an IDEMPOTENCY_CONFLICT", async () => {
    const { reseller, actor, key } = await started(2_000n);
    const other = await makeReseller(db());
    const from = fake.requests.length;
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 2_001n, idempotencyKey: key }))).toBe("IDEMPOTENCY_CONFLICT");
    expect(await failureCode(startOnlinePayment(db(), adminActor, gateway, { resellerId: other.id, amount: 2_000n, idempotencyKey: key }))).toBe("IDEMPOTENCY_CONFLICT");
    expect(fake.since(from)).toHaveLength(0);
    expect(await paymentsOf(reseller.id)).toHaveLength(1);
    expect(await paymentsOf(other.id)).toHaveLength(0);
  });

  it("a finished payment's key cannot start another checkout", async () => {
    const { reseller, actor, key, payment } = await started(2_000n);
    await cancelOnlinePayment(db(), actor, gateway, payment.id);
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 2_000n, idempotencyKey: key }))).toBe("PAYMENT_NOT_PENDING");
  });

  it("refuses an amount outside the admin's bounds (INVALID_AMOUNT) before writing or calling anything", async () => {
    const { reseller, actor } = await payer();
    const settings = await getPaymentSettings(db());
    expect(settings).toEqual({ onlineEnabled: true, minAmount: 100n, maxAmount: 10_000_000n });
    const from = fake.requests.length;
    const start = (amount: bigint) => startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount, idempotencyKey: newKey() });
    expect(await failureCode(start(settings.minAmount - 1n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(start(settings.maxAmount + 1n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(start(0n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(start(-500n))).toBe("INVALID_AMOUNT");

    await updatePaymentSettings(db(), adminActor, { onlineEnabled: true, minAmount: 5_000n, maxAmount: 20_000n });
    expect(await failureCode(start(4_999n))).toBe("INVALID_AMOUNT");
    expect(await failureCode(start(20_001n))).toBe("INVALID_AMOUNT");
    const error = await start(4_999n).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).fields?.amount).toMatch(/Pay between \$50\.00 and \$200\.00/);
    expect(fake.since(from)).toHaveLength(0);
    expect(await paymentsOf(reseller.id)).toHaveLength(0);

    // The bounds themselves are inclusive.
    expect(await failureCode(start(5_000n))).toBe("(succeeded)");
    expect(await failureCode(start(20_000n))).toBe("(succeeded)");
  });

  it("refuses with ONLINE_PAYMENTS_OFF when the admin turned it off, or when no gateway is configured", async () => {
    const { reseller, actor } = await payer();
    const from = fake.requests.length;
    await updatePaymentSettings(db(), adminActor, { onlineEnabled: false, ...defaultBounds("USD") });
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: newKey() }))).toBe("ONLINE_PAYMENTS_OFF");
    await updatePaymentSettings(db(), adminActor, { onlineEnabled: true, ...defaultBounds("USD") });
    expect(await failureCode(startOnlinePayment(db(), actor, null, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: newKey() }))).toBe("ONLINE_PAYMENTS_OFF");
    expect(fake.since(from)).toHaveLength(0);
    expect(await paymentsOf(reseller.id)).toHaveLength(0);
  });

  it("a reseller cannot start a payment for another reseller (FORBIDDEN)", async () => {
    const { actor } = await payer();
    const { reseller: victim } = await payer();
    const from = fake.requests.length;
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: victim.id, amount: 1_000n, idempotencyKey: newKey() }))).toBe("FORBIDDEN");
    expect(fake.since(from)).toHaveLength(0);
    expect(await paymentsOf(victim.id)).toHaveLength(0);
  });

  it("refuses a missing or oversized key and an unknown reseller", async () => {
    const { reseller, actor } = await payer();
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: "" }))).toBe("VALIDATION_FAILED");
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: "k".repeat(201) }))).toBe("VALIDATION_FAILED");
    expect(await failureCode(startOnlinePayment(db(), adminActor, gateway, { resellerId: "00000000-0000-4000-8000-000000000000", amount: 1_000n, idempotencyKey: newKey() }))).toBe(
      "RESELLER_NOT_FOUND",
    );
  });

  it("Stripe answering 500 (after the client's retries): GATEWAY_UNAVAILABLE, the row failed with a reason, nothing credited", async () => {
    const { reseller, actor } = await payer();
    fake.fail(500);
    const key = newKey();
    const from = fake.requests.length;
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 3_000n, idempotencyKey: key }))).toBe("GATEWAY_UNAVAILABLE");
    const attempts = fake.since(from);
    // The client retries twice, always with the payment's key.
    expect(attempts).toHaveLength(3);
    expect(attempts.every((r) => r.headers["idempotency-key"] === key && r.path === "/v1/checkout/sessions")).toBe(true);

    const [payment] = await paymentsOf(reseller.id);
    expect(payment).toMatchObject({ status: "failed", checkoutSessionId: null, checkoutUrl: null, ledgerEntryId: null });
    expect(payment!.reason).toMatch(/gateway refused or did not answer/);
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
    expect(await db().select().from(onlinePayments).where(and(eq(onlinePayments.resellerId, reseller.id), eq(onlinePayments.status, "paid")))).toHaveLength(0);
    expect((await auditsOf(payment!.id)).map((a) => [a.action, a.details?.from, a.details?.to])).toEqual([
      ["online_payment.started", undefined, undefined],
      ["online_payment.status", "pending", "failed"],
    ]);

    // Once Stripe answers again, the same form (same key) may try again: the same row goes back to pending with its session.
    // Stripe replays the 500 it kept for the payment's key, so the second attempt asks under "<key>:retry-1".
    fake.recover();
    const retried = await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 3_000n, idempotencyKey: key });
    const after = await loadPayment(payment!.id);
    expect(retried.onlinePaymentId).toBe(payment!.id);
    expect(after).toMatchObject({ status: "pending", reason: null, checkoutUrl: retried.checkoutUrl });
    expect(after.checkoutSessionId).toMatch(/^cs_test_/);
    expect(fake.requests.at(-1)!.headers["idempotency-key"]).toBe(`${key}:retry-1`);
    expect(after.gatewayAttempt).toBe(1);
    expect(await paymentsOf(reseller.id)).toHaveLength(1);
  });

  it("Stripe refusing (402) is not retried: GATEWAY_UNAVAILABLE, the row failed", async () => {
    const { reseller, actor } = await payer();
    fake.fail(402);
    const from = fake.requests.length;
    expect(await failureCode(startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 3_000n, idempotencyKey: newKey() }))).toBe("GATEWAY_UNAVAILABLE");
    expect(fake.since(from)).toHaveLength(1);
    const [payment] = await paymentsOf(reseller.id);
    expect(payment).toMatchObject({ status: "failed", ledgerEntryId: null });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });

  it("Stripe unreachable: GATEWAY_UNAVAILABLE, the row failed", async () => {
    const { reseller, actor } = await payer();
    const closed = await startFakeStripe();
    await closed.close();
    const unreachable = stripeGateway({ mode: "test", secretKey: "sk_test_123", apiUrl: closed.url });
    expect(await failureCode(startOnlinePayment(db(), actor, unreachable, { resellerId: reseller.id, amount: 3_000n, idempotencyKey: newKey() }))).toBe("GATEWAY_UNAVAILABLE");
    expect((await paymentsOf(reseller.id))[0]).toMatchObject({ status: "failed" });
  });

  it("STRIPE_API_URL from the environment points the client at the fake API (host, port, protocol)", async () => {
    const config = gatewayConfig({ NODE_ENV: "test", STRIPE_SECRET_KEY: "sk_test_1", STRIPE_WEBHOOK_SECRET: "whsec_1", STRIPE_API_URL: fake.url });
    expect(config).toEqual({ mode: "test", secretKey: "sk_test_1", webhookSecret: "whsec_1", apiUrl: fake.url });
    const fromEnv = gatewayFor(db(), config)!;
    expect(fromEnv.mode).toBe("test");
    const { reseller, actor } = await payer();
    const from = fake.requests.length;
    const result = await startOnlinePayment(db(), actor, fromEnv, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: newKey() });
    const [request] = fake.since(from);
    expect(request).toMatchObject({ method: "POST", path: "/v1/checkout/sessions" });
    expect(request!.headers.authorization).toBe("Bearer sk_test_1");
    expect(request!.headers.host).toBe(`127.0.0.1:${fake.port}`);
    expect(result.checkoutUrl).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    expect(gatewayFor(db(), { mode: "off", reason: "off" })).toBeNull();
  });
});

describe("reconcilePending with the Stripe API", () => {
  const changeOf = (changes: Awaited<ReturnType<typeof reconcilePending>>, id: string) => changes.filter((c) => c.onlinePaymentId === id);

  it("a session Stripe reports complete and paid is credited once; a second reconcile changes nothing", async () => {
    const { reseller, payment } = await started(4_200n);
    fake.setSession(payment.checkoutSessionId!, { status: "complete", payment_status: "paid", payment_intent: "pi_reconciled_1" });
    const changes = changeOf(await reconcilePending(db(), gateway, { olderThanMinutes: 0 }), payment.id);
    expect(changes).toEqual([{ onlinePaymentId: payment.id, from: "pending", to: "paid", outcome: expect.stringMatching(/^credited: entry \d+$/) }]);

    const credits = await onlineCredits(reseller.id);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ amount: 4_200n, source: "online_payment", idempotencyKey: payment.checkoutSessionId, paymentReference: payment.checkoutSessionId });
    expect(await loadPayment(payment.id)).toMatchObject({ status: "paid", ledgerEntryId: credits[0]!.id, paymentIntentId: "pi_reconciled_1" });
    expect((await loadReseller(db(), reseller.id)).balance).toBe(4_200n);
    const audit = (await auditsOf(payment.id)).at(-1)!;
    expect(audit).toMatchObject({ action: "online_payment.status", actorLabel: "payment gateway (Stripe)", details: { from: "pending", to: "paid", via: "reconcile" } });

    const from = fake.requests.length;
    expect(changeOf(await reconcilePending(db(), gateway, { olderThanMinutes: 0 }), payment.id)).toEqual([]);
    expect(fake.since(from).some((r) => r.path.includes(payment.checkoutSessionId!))).toBe(false);
    expect(await onlineCredits(reseller.id)).toHaveLength(1);
  });

  it("reduces a postpaid reseller's outstanding", async () => {
    const { reseller, pkg, area } = await makeChargeableReseller(db(), { type: "postpaid", rate: 1_000n, collectionLimit: 5_000n });
    for (const customer of await makeCustomers(db(), reseller.id, area.id, 3)) {
      await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
    }
    const result = await startOnlinePayment(db(), resellerActor(reseller.id), gateway, { resellerId: reseller.id, amount: 2_000n, idempotencyKey: newKey() });
    const payment = await loadPayment(result.onlinePaymentId);
    fake.setSession(payment.checkoutSessionId!, { status: "complete", payment_status: "paid" });
    await reconcilePending(db(), gateway, { olderThanMinutes: 0, onlyId: payment.id });
    expect((await loadReseller(db(), reseller.id)).balance).toBe(-1_000n);
  });

  it("a session Stripe reports expired expires the payment; again, nothing changes", async () => {
    const { reseller, payment } = await started(1_000n);
    fake.setSession(payment.checkoutSessionId!, { status: "expired", url: null });
    const changes = changeOf(await reconcilePending(db(), gateway, { olderThanMinutes: 0 }), payment.id);
    expect(changes).toEqual([{ onlinePaymentId: payment.id, from: "pending", to: "expired", outcome: "expired" }]);
    expect(await loadPayment(payment.id)).toMatchObject({ status: "expired", reason: "The checkout expired without payment.", ledgerEntryId: null });
    expect(changeOf(await reconcilePending(db(), gateway, { olderThanMinutes: 0 }), payment.id)).toEqual([]);
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });

  it("an open session, or one complete but still unpaid, stays pending", async () => {
    const open = await started(1_000n);
    const awaiting = await started(1_000n);
    fake.setSession(awaiting.payment.checkoutSessionId!, { status: "complete", payment_status: "unpaid", payment_intent: "pi_awaiting" });
    const changes = await reconcilePending(db(), gateway, { olderThanMinutes: 0 });
    expect(changeOf(changes, open.payment.id)).toEqual([{ onlinePaymentId: open.payment.id, from: "pending", to: null, outcome: "no change: the session is still open" }]);
    expect(changeOf(changes, awaiting.payment.id)).toEqual([
      { onlinePaymentId: awaiting.payment.id, from: "pending", to: null, outcome: "no change: the payment is still being processed" },
    ]);
    expect(await loadPayment(open.payment.id)).toMatchObject({ status: "pending" });
    expect(await loadPayment(awaiting.payment.id)).toMatchObject({ status: "pending", paymentIntentId: "pi_awaiting" });
  });

  it("a session Stripe reports with another amount is flagged, never credited", async () => {
    const { reseller, payment } = await started(1_000n);
    fake.setSession(payment.checkoutSessionId!, { status: "complete", payment_status: "paid", amount_total: 10 });
    const [change] = changeOf(await reconcilePending(db(), gateway, { olderThanMinutes: 0 }), payment.id);
    expect(change).toMatchObject({ to: "flagged", outcome: expect.stringMatching(/^flagged: The gateway reports 10 minor units/) });
    expect(await loadPayment(payment.id)).toMatchObject({ status: "flagged", ledgerEntryId: null });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });

  it("a start that never reached Stripe (no session id) is failed", async () => {
    const reseller = await makeReseller(db());
    const [row] = await db()
      .insert(onlinePayments)
      .values({ resellerId: reseller.id, amount: 1_000n, currency: "USD", gatewayMode: "test", startedByLabel: "test", idempotencyKey: newKey() })
      .returning();
    // A second ahead, so a row inserted within the same millisecond is past the cut-off too.
    const changes = changeOf(await reconcilePending(db(), gateway, { olderThanMinutes: 0, now: new Date(Date.now() + 1_000) }), row!.id);
    expect(changes).toEqual([{ onlinePaymentId: row!.id, from: "pending", to: "failed", outcome: "failed: never started" }]);
    expect(await loadPayment(row!.id)).toMatchObject({ status: "failed", reason: "The checkout was never started at the gateway." });
  });

  it("Stripe failing leaves the payment pending and reports the error", async () => {
    const { payment } = await started(1_000n);
    fake.fail(500, { path: new RegExp(payment.checkoutSessionId!) });
    const changes = changeOf(await reconcilePending(db(), gateway, { olderThanMinutes: 0 }), payment.id);
    expect(changes).toEqual([{ onlinePaymentId: payment.id, from: "pending", to: null, outcome: "error: the gateway could not be reached" }]);
    expect(await loadPayment(payment.id)).toMatchObject({ status: "pending" });
  });

  it("looks only at payments older than the cut-off and of the gateway's own mode", async () => {
    const { payment } = await started(1_000n);
    fake.setSession(payment.checkoutSessionId!, { status: "expired" });
    // Default: only payments pending for more than 5 minutes.
    expect(changeOf(await reconcilePending(db(), gateway), payment.id)).toEqual([]);
    const live = stripeGateway({ mode: "live", secretKey: "sk_live_123", apiUrl: fake.url });
    expect(changeOf(await reconcilePending(db(), live, { olderThanMinutes: 0 }), payment.id)).toEqual([]);
    expect(await loadPayment(payment.id)).toMatchObject({ status: "pending" });
    const later = new Date(Date.now() + 10 * 60_000);
    expect(changeOf(await reconcilePending(db(), gateway, { now: later, onlyId: payment.id }), payment.id)).toMatchObject([{ to: "expired" }]);
  });
});

describe("refreshOnlinePayment", () => {
  it("applies what Stripe reports for a pending payment, once", async () => {
    const { reseller, payment } = await started(800n);
    fake.setSession(payment.checkoutSessionId!, { status: "complete", payment_status: "paid" });
    const result = await refreshOnlinePayment(db(), gateway, payment, "return page");
    expect(result).toMatchObject({ onlinePaymentId: payment.id, from: "pending", to: "paid" });
    expect(result!.ledgerEntryId).toEqual(expect.any(Number));
    // The stale row passed again: the settle command re-reads it under its lock and credits nothing more.
    const again = await refreshOnlinePayment(db(), gateway, payment, "return page");
    expect(again).toMatchObject({ to: null, outcome: `no change: already credited (entry ${result!.ledgerEntryId})` });
    expect(await onlineCredits(reseller.id)).toHaveLength(1);
    expect((await auditsOf(payment.id)).at(-1)!.details).toMatchObject({ via: "return page" });
  });

  it("does nothing (no call) for a finished payment, another gateway mode or no gateway", async () => {
    const { payment } = await started(800n);
    const from = fake.requests.length;
    expect(await refreshOnlinePayment(db(), null, payment, "x")).toBeNull();
    expect(await refreshOnlinePayment(db(), stripeGateway({ mode: "live", secretKey: "sk_live_1", apiUrl: fake.url }), payment, "x")).toBeNull();
    expect(await refreshOnlinePayment(db(), gateway, { ...payment, status: "expired" }, "x")).toBeNull();
    expect(await refreshOnlinePayment(db(), gateway, { ...payment, checkoutSessionId: null }, "x")).toBeNull();
    expect(fake.since(from)).toHaveLength(0);
  });
});

describe("cancelOnlinePayment", () => {
  it("expires the open session at Stripe and marks the payment canceled", async () => {
    const { actor, payment } = await started(1_000n);
    const from = fake.requests.length;
    expect(await cancelOnlinePayment(db(), actor, gateway, payment.id)).toEqual({ status: "canceled" });
    const requests = fake.since(from);
    expect(requests.map((r) => [r.method, r.path])).toEqual([["POST", `/v1/checkout/sessions/${payment.checkoutSessionId}/expire`]]);
    expect(requests[0]!.headers.authorization).toBe("Bearer sk_test_123");
    expect(fake.sessions.get(payment.checkoutSessionId!)!.status).toBe("expired");
    const row = await loadPayment(payment.id);
    expect(row).toMatchObject({ status: "canceled", reason: "Canceled by the payer.", ledgerEntryId: null });
    expect(row.settledAt).toBeInstanceOf(Date);
    expect((await auditsOf(payment.id)).at(-1)).toMatchObject({ action: "online_payment.status", actorLabel: "Counter Clerk", details: { from: "pending", to: "canceled", via: "cancel" } });
    expect(await failureCode(cancelOnlinePayment(db(), actor, gateway, payment.id))).toBe("PAYMENT_NOT_PENDING");
  });

  it("a session paid meanwhile (Stripe refuses to expire it) is credited instead of canceled", async () => {
    const { reseller, actor, payment } = await started(1_500n);
    fake.setSession(payment.checkoutSessionId!, { status: "complete", payment_status: "paid" });
    const from = fake.requests.length;
    expect(await cancelOnlinePayment(db(), actor, gateway, payment.id)).toEqual({ status: "paid" });
    expect(fake.since(from).map((r) => [r.method, r.path])).toEqual([
      ["POST", `/v1/checkout/sessions/${payment.checkoutSessionId}/expire`],
      ["GET", `/v1/checkout/sessions/${payment.checkoutSessionId}`],
    ]);
    expect(await onlineCredits(reseller.id)).toHaveLength(1);
    expect(await loadPayment(payment.id)).toMatchObject({ status: "paid" });
    expect((await loadReseller(db(), reseller.id)).balance).toBe(1_500n);
  });

  it("only the payment's own reseller may cancel it", async () => {
    const { payment } = await started(1_000n);
    const { actor: stranger } = await payer();
    const from = fake.requests.length;
    expect(await failureCode(cancelOnlinePayment(db(), stranger, gateway, payment.id))).toBe("PAYMENT_NOT_FOUND");
    expect(await failureCode(cancelOnlinePayment(db(), adminActor, gateway, payment.id))).toBe("FORBIDDEN");
    expect(await failureCode(cancelOnlinePayment(db(), stranger, gateway, "not-a-uuid"))).toBe("PAYMENT_NOT_FOUND");
    expect(fake.since(from)).toHaveLength(0);
    expect(await loadPayment(payment.id)).toMatchObject({ status: "pending" });
  });

  it("without a gateway the payment is canceled here only", async () => {
    const { actor, payment } = await started(1_000n);
    const from = fake.requests.length;
    expect(await cancelOnlinePayment(db(), actor, null, payment.id)).toEqual({ status: "canceled" });
    expect(fake.since(from)).toHaveLength(0);
  });
});

describe("getOwnOnlinePayment and onlinePaymentAvailability", () => {
  it("finds a reseller's own payment only", async () => {
    const { reseller, payment } = await started(1_000n);
    const other = await makeReseller(db());
    expect((await getOwnOnlinePayment(db(), reseller.id, payment.id)).id).toBe(payment.id);
    expect(await failureCode(getOwnOnlinePayment(db(), other.id, payment.id))).toBe("PAYMENT_NOT_FOUND");
    expect(await failureCode(getOwnOnlinePayment(db(), reseller.id, "x"))).toBe("PAYMENT_NOT_FOUND");
  });

  it("says why online payment is unavailable", async () => {
    expect(await onlinePaymentAvailability(db(), { mode: "off", reason: "No gateway." })).toMatchObject({ available: false, reason: "No gateway." });
    expect(await onlinePaymentAvailability(db(), { mode: "test", secretKey: "sk_test_1", webhookSecret: "whsec_1", apiUrl: null })).toMatchObject({ available: true, mode: "test" });
    await updatePaymentSettings(db(), adminActor, { onlineEnabled: false, ...defaultBounds("USD") });
    expect(await onlinePaymentAvailability(db(), { mode: "sandbox", webhookSecret: "whsec_x" })).toMatchObject({ available: false, reason: "The admin has turned online payment off." });
  });
});

describe("payment settings", () => {
  it("only the admin changes them; the bounds must be ordered and within what Stripe accepts; the change is audited", async () => {
    const { actor } = await payer();
    expect(await failureCode(updatePaymentSettings(db(), actor, { onlineEnabled: false, minAmount: 100n, maxAmount: 1_000n }))).toBe("FORBIDDEN");
    expect(await failureCode(updatePaymentSettings(db(), adminActor, { onlineEnabled: true, minAmount: 2_000n, maxAmount: 1_000n }))).toBe("VALIDATION_FAILED");
    expect(await failureCode(updatePaymentSettings(db(), adminActor, { onlineEnabled: true, minAmount: 100n, maxAmount: 100_000_000n }))).toBe("INVALID_AMOUNT");
    expect(await getPaymentSettings(db())).toEqual({ onlineEnabled: true, ...defaultBounds("USD") });
    await updatePaymentSettings(db(), adminActor, { onlineEnabled: false, minAmount: 500n, maxAmount: 99_999_999n });
    expect(await getPaymentSettings(db())).toEqual({ onlineEnabled: false, minAmount: 500n, maxAmount: 99_999_999n });
    const latest = (await db().select().from(auditLog).where(eq(auditLog.action, "payments.settings")).orderBy(asc(auditLog.id))).at(-1)!;
    expect(latest.details).toEqual({ onlineEnabled: false, minAmount: "5.00", maxAmount: "999999.99" });
  });
});

describe("online payment lists and alerts", () => {
  it("lists one reseller's payments (the portal) and exports them as CSV", async () => {
    const { reseller, actor } = await payer();
    const first = await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: newKey() });
    const second = await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 2_500n, idempotencyKey: newKey() });
    await cancelOnlinePayment(db(), actor, gateway, first.onlinePaymentId);
    const other = await started(9_000n);

    const page = await listOnlinePayments(db(), onlinePaymentSearchSchema.parse({}), reseller.id);
    expect(page.total).toBe(2);
    expect(page.rows.map((r) => r.id).sort()).toEqual([first.onlinePaymentId, second.onlinePaymentId].sort());
    expect(page.rows.some((r) => r.id === other.payment.id)).toBe(false);
    const canceled = await listOnlinePayments(db(), onlinePaymentSearchSchema.parse({ status: "canceled" }), reseller.id);
    expect(canceled.rows.map((r) => r.id)).toEqual([first.onlinePaymentId]);
    const byAmount = await listOnlinePayments(db(), onlinePaymentSearchSchema.parse({ sort: "amount.desc" }), reseller.id);
    expect(byAmount.rows.map((r) => r.amount)).toEqual([2_500n, 1_000n]);

    // The admin's list sees every reseller's, and search finds a session id.
    const secondRow = await loadPayment(second.onlinePaymentId);
    const search = await listOnlinePayments(db(), onlinePaymentSearchSchema.parse({ q: secondRow.checkoutSessionId }));
    expect(search.rows.map((r) => r.id)).toEqual([second.onlinePaymentId]);

    const csv = await onlinePaymentsCsv(db(), onlinePaymentSearchSchema.parse({ sort: "amount.asc" }), reseller.id);
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe("payment,started_at,settled_at,status,reseller,amount,currency,mode,checkout_session,payment_intent,ledger_entry,started_by,reason");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${first.onlinePaymentId},`);
    expect(lines[1]).toContain(",canceled,");
    expect(lines[1]).toContain(",10.00,USD,test,");
    expect(lines[2]).toContain(",25.00,USD,test,");
  });

  it("the admin dashboard counts flagged payments and those pending for over an hour", async () => {
    const before = await onlinePaymentAlerts(db());
    const reseller = await makeReseller(db());
    const base = { resellerId: reseller.id, amount: 1_000n, currency: "USD", gatewayMode: "test" as const, startedByLabel: "test" };
    await db()
      .insert(onlinePayments)
      .values([
        { ...base, idempotencyKey: newKey(), status: "flagged", reason: "test" },
        { ...base, idempotencyKey: newKey(), createdAt: new Date(Date.now() - 2 * 60 * 60_000) },
        { ...base, idempotencyKey: newKey() },
      ]);
    expect(await onlinePaymentAlerts(db())).toEqual({ flagged: before.flagged + 1, stalePending: before.stalePending + 1 });
  });
});
