import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { and, asc, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, ledgerEntries, onlinePayments, stripeEvents, type OnlinePayment } from "@/db/schema";
import { activateSubscription } from "@/lib/billing";
import type { GatewayConfig } from "@/lib/payments/gateway";
import { cancelOnlinePayment, gatewayFor, reconcilePending, startOnlinePayment } from "@/lib/payments/checkout";
import { sandboxSessionId } from "@/lib/payments/gateway";
import { deliverSandboxEvents, sandboxEvents } from "@/lib/payments/sandbox";
import { handleStripeWebhook, WEBHOOK_MAX_BYTES } from "@/lib/payments/webhook";
import { bookState, failureCode, ledgerOf, loadReseller, makeChargeableReseller, makeCustomers, makeReseller, newKey, resellerActor } from "../support/factories";
import { db, ownerDb } from "../support/fresh-database";

const SECRET = "whsec_test_lastmile_webhook_secret";
const SANDBOX_SECRET = "whsec_sandbox_lastmile_webhook_secret";
const config: GatewayConfig = { mode: "test", secretKey: "sk_test_x", webhookSecret: SECRET, apiUrl: null };
const sandboxConfig: GatewayConfig = { mode: "sandbox", webhookSecret: SANDBOX_SECRET };

const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** A pending online payment whose Checkout Session was created (as startOnlinePayment leaves it). */
async function pendingPayment(
  resellerId: string,
  amount = 5_000n,
  overrides: Partial<typeof onlinePayments.$inferInsert> = {},
): Promise<OnlinePayment> {
  const sessionId = `cs_test_${hex(16)}`;
  const [row] = await db()
    .insert(onlinePayments)
    .values({
      resellerId,
      amount,
      currency: "USD",
      gatewayMode: "test",
      checkoutSessionId: sessionId,
      checkoutUrl: `https://checkout.stripe.test/c/pay/${sessionId}`,
      startedByLabel: "test reseller",
      idempotencyKey: newKey(),
      ...overrides,
    })
    .returning();
  return row!;
}

type SessionOverrides = Partial<{
  id: string | null;
  status: string;
  payment_status: string;
  amount_total: number | null;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  payment_intent: string | null;
  livemode: boolean;
}>;

const intentOf = (payment: OnlinePayment) => `pi_test_${payment.id.replaceAll("-", "")}`;

/** A Stripe-shaped checkout.session object for `payment`, paid unless overridden. */
function sessionObject(payment: OnlinePayment, overrides: SessionOverrides = {}) {
  return {
    id: payment.checkoutSessionId,
    object: "checkout.session",
    mode: "payment",
    status: "complete",
    payment_status: "paid",
    amount_total: Number(payment.amount),
    currency: payment.currency.toLowerCase(),
    client_reference_id: payment.id,
    metadata: { online_payment_id: payment.id, reseller_id: payment.resellerId },
    payment_intent: intentOf(payment),
    livemode: false,
    url: null,
    ...overrides,
  };
}

/** A Stripe event's JSON body around `object`. */
function eventBody(type: string, object: unknown, extra: { id?: string; livemode?: boolean } = {}): string {
  return JSON.stringify({
    id: extra.id ?? `evt_test_${hex(12)}`,
    object: "event",
    api_version: "2025-01-27.acacia",
    created: Math.floor(Date.now() / 1000),
    livemode: extra.livemode ?? false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
}

const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, ...(options.timestamp ? { timestamp: options.timestamp } : {}) });

/** Delivers a body signed with the test secret (or the given header) to the webhook handler. */
function deliver(body: string, options: { signature?: string | null; config?: GatewayConfig } = {}) {
  const signature = options.signature === undefined ? sign(body, { secret: options.config?.mode === "sandbox" ? SANDBOX_SECRET : SECRET }) : options.signature;
  return handleStripeWebhook(db(), body, signature, options.config ?? config);
}

const completed = (payment: OnlinePayment, overrides: SessionOverrides = {}) => eventBody("checkout.session.completed", sessionObject(payment, overrides));

async function loadPayment(id: string) {
  const [row] = await db().select().from(onlinePayments).where(eq(onlinePayments.id, id));
  return row!;
}

const onlineCredits = (resellerId: string) =>
  db()
    .select()
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.resellerId, resellerId), eq(ledgerEntries.kind, "online_payment")));

const eventCount = async () => (await db().select({ id: stripeEvents.id }).from(stripeEvents)).length;
const eventsOfSession = (sessionId: string | null) => db().select().from(stripeEvents).where(eq(stripeEvents.checkoutSessionId, sessionId!));

/** Everything a webhook delivery can write for one reseller, plus the events recorded install-wide. */
const snapshot = async (resellerId: string) => ({ ...(await bookState(db(), resellerId)), stripeEvents: await eventCount() });

const eventRow = async (id: string) => (await db().select().from(stripeEvents).where(eq(stripeEvents.id, id)))[0];
const eventIdOf = (body: string) => (JSON.parse(body) as { id: string }).id;

const statusAudits = (paymentId: string) =>
  db()
    .select({ details: auditLog.details, actorLabel: auditLog.actorLabel, resellerId: auditLog.resellerId })
    .from(auditLog)
    .where(and(eq(auditLog.action, "online_payment.status"), eq(auditLog.targetId, paymentId)))
    .orderBy(asc(auditLog.id));

/** A postpaid reseller that owes `charges` × 1,000 after that many activations. */
async function postpaidOwing(charges: number) {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { type: "postpaid", rate: 1_000n, collectionLimit: 10_000n });
  const customers = await makeCustomers(db(), reseller.id, area.id, charges);
  for (const customer of customers) {
    await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
  }
  return reseller;
}

/** Asserts the payment was credited exactly once, by the session id. */
async function expectCreditedOnce(payment: OnlinePayment) {
  const credits = await onlineCredits(payment.resellerId);
  expect(credits).toHaveLength(1);
  expect(credits[0]).toMatchObject({
    kind: "online_payment",
    amount: payment.amount,
    method: "card",
    source: "online_payment",
    idempotencyKey: payment.checkoutSessionId,
    paymentReference: payment.checkoutSessionId,
  });
  const row = await loadPayment(payment.id);
  expect(row).toMatchObject({ status: "paid", ledgerEntryId: credits[0]!.id, reason: null });
  expect(row.settledAt).toBeInstanceOf(Date);
  return credits[0]!;
}

describe("handleStripeWebhook: refusals before anything is written", () => {
  async function expectNothingWritten(resellerId: string, paymentId: string, before: Record<string, unknown>) {
    expect(await snapshot(resellerId)).toEqual(before);
    expect(await loadPayment(paymentId)).toMatchObject({ status: "pending", ledgerEntryId: null });
  }

  it("refuses a bad signature with 400", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const before = await snapshot(reseller.id);
    const body = completed(payment);
    const answer = await deliver(body, { signature: sign(body, { secret: "whsec_someone_else" }) });
    expect(answer).toEqual({ status: 400, body: { received: false, error: "Invalid signature." } });
    // A body altered after signing fails too.
    const tampered = await deliver(body.replace(`"amount_total":5000`, `"amount_total":500000`), { signature: sign(body) });
    expect(tampered.status).toBe(400);
    await expectNothingWritten(reseller.id, payment.id, before);
  });

  it("refuses a missing or garbage Stripe-Signature header with 400", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const before = await snapshot(reseller.id);
    const body = completed(payment);
    expect(await deliver(body, { signature: null })).toEqual({ status: 400, body: { received: false, error: "Missing Stripe-Signature header." } });
    expect(await deliver(body, { signature: "" })).toMatchObject({ status: 400 });
    expect(await deliver(body, { signature: "t=1,v1=deadbeef" })).toMatchObject({ status: 400 });
    await expectNothingWritten(reseller.id, payment.id, before);
  });

  it("refuses a correctly signed event whose timestamp is more than 300 s old (a replay) with 400", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const before = await snapshot(reseller.id);
    const body = completed(payment);
    const stale = Math.floor(Date.now() / 1000) - 301;
    expect(await deliver(body, { signature: sign(body, { timestamp: stale }) })).toMatchObject({ status: 400, body: { received: false } });
    await expectNothingWritten(reseller.id, payment.id, before);
    // The same body freshly signed is accepted: it was only the age.
    expect(await deliver(body)).toMatchObject({ status: 200 });
    await expectCreditedOnce(payment);
  });

  it("refuses a body over WEBHOOK_MAX_BYTES with 413 before verifying it", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const before = await snapshot(reseller.id);
    const object = { ...sessionObject(payment), padding: "x".repeat(WEBHOOK_MAX_BYTES) };
    const body = eventBody("checkout.session.completed", object);
    expect(Buffer.byteLength(body)).toBeGreaterThan(WEBHOOK_MAX_BYTES);
    expect(await deliver(body)).toEqual({ status: 413, body: { received: false, error: "Payload too large." } });
    await expectNothingWritten(reseller.id, payment.id, before);
  });

  it("answers 503 when online payment is off or the webhook secret is not configured", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const before = await snapshot(reseller.id);
    const body = completed(payment);
    expect(await handleStripeWebhook(db(), body, sign(body), { mode: "off", reason: "not configured" })).toMatchObject({ status: 503, body: { received: false } });
    expect(await handleStripeWebhook(db(), body, sign(body), { ...config, webhookSecret: null })).toMatchObject({ status: 503, body: { received: false } });
    await expectNothingWritten(reseller.id, payment.id, before);
  });

  it("refuses an event signed with the sandbox secret on a Stripe install, and a Stripe-signed one on the sandbox", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const before = await snapshot(reseller.id);
    const body = completed(payment);
    expect(await deliver(body, { signature: sign(body, { secret: SANDBOX_SECRET }) })).toMatchObject({ status: 400 });
    expect(await deliver(body, { signature: sign(body), config: sandboxConfig })).toMatchObject({ status: 400 });
    await expectNothingWritten(reseller.id, payment.id, before);
  });
});

describe("handleStripeWebhook: settling a payment once", () => {
  it("checkout.session.completed (paid) credits a prepaid reseller once, records the event and audits the status change", async () => {
    const reseller = await makeReseller(db(), { openingBalance: 1_000n });
    const payment = await pendingPayment(reseller.id, 7_500n);
    const body = completed(payment);
    const answer = await deliver(body);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ received: true });
    expect(answer.body.outcome).toMatch(/^credited: entry \d+$/);

    const credit = await expectCreditedOnce(payment);
    expect(credit.balanceAfter).toBe(8_500n);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(8_500n);
    expect(await loadPayment(payment.id)).toMatchObject({ paymentIntentId: intentOf(payment) });
    expect(await eventRow(eventIdOf(body))).toMatchObject({
      type: "checkout.session.completed",
      livemode: false,
      checkoutSessionId: payment.checkoutSessionId,
      onlinePaymentId: payment.id,
      outcome: answer.body.outcome,
    });
    expect((await eventRow(eventIdOf(body)))!.processedAt).toBeInstanceOf(Date);
    const audits = await statusAudits(payment.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ resellerId: reseller.id, actorLabel: "payment gateway (Stripe)" });
    expect(audits[0]!.details).toMatchObject({ from: "pending", to: "paid", session: payment.checkoutSessionId });
    expect(String(audits[0]!.details!.via)).toContain(eventIdOf(body));
  });

  it("reduces a postpaid reseller's outstanding by the amount paid", async () => {
    const reseller = await postpaidOwing(3);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(-3_000n);
    const payment = await pendingPayment(reseller.id, 2_000n);
    expect((await deliver(completed(payment))).status).toBe(200);
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(-1_000n);
    const ledger = await ledgerOf(db(), reseller.id);
    expect(ledger.at(-1)).toMatchObject({ kind: "online_payment", amount: 2_000n, balanceAfter: -1_000n });
  });

  it("one event delivered 10 times in a row credits once; the repeats answer 200 duplicate", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 3_000n);
    const body = completed(payment);
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await deliver(body));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers[0]!.body.duplicate).toBeUndefined();
    expect(answers.slice(1).every((a) => a.body.duplicate === true)).toBe(true);
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(3_000n);
    expect(await eventsOfSession(payment.checkoutSessionId)).toHaveLength(1);
    expect(await statusAudits(payment.id)).toHaveLength(1);
  });

  it("one event delivered 10 times concurrently credits once", async () => {
    const reseller = await postpaidOwing(2);
    const payment = await pendingPayment(reseller.id, 1_500n);
    const body = completed(payment);
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => !a.body.duplicate)).toHaveLength(1);
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(-500n);
    expect(await eventsOfSession(payment.checkoutSessionId)).toHaveLength(1);
    expect(await statusAudits(payment.id)).toHaveLength(1);
  });

  it("ten different events for the same paid session, delivered concurrently, credit once", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 4_000n);
    const bodies = Array.from({ length: 10 }, (_, i) =>
      i % 2 ? completed(payment) : eventBody("checkout.session.async_payment_succeeded", sessionObject(payment)),
    );
    const answers = await Promise.all(bodies.map((body) => deliver(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.filter((a) => a.body.outcome?.startsWith("credited"))).toHaveLength(1);
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(4_000n);
    expect(await eventsOfSession(payment.checkoutSessionId)).toHaveLength(10);
  });

  it("completed (payment_status unpaid) waits; async_payment_succeeded then credits once", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 6_000n);
    const first = await deliver(completed(payment, { payment_status: "unpaid" }));
    expect(first).toMatchObject({ status: 200, body: { outcome: "no change: the payment is still being processed" } });
    expect(await loadPayment(payment.id)).toMatchObject({ status: "pending", ledgerEntryId: null, paymentIntentId: intentOf(payment) });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
    expect(await statusAudits(payment.id)).toHaveLength(0);

    const succeeded = eventBody("checkout.session.async_payment_succeeded", sessionObject(payment));
    expect((await deliver(succeeded)).body.outcome).toMatch(/^credited/);
    expect((await deliver(succeeded)).body.duplicate).toBe(true);
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(6_000n);
    expect((await statusAudits(payment.id)).map((a) => a.details!.to)).toEqual(["paid"]);
  });

  it("completed (unpaid) and async_payment_succeeded racing (different event ids) credit once", async () => {
    for (let round = 0; round < 5; round++) {
      const reseller = await makeReseller(db());
      const payment = await pendingPayment(reseller.id, 2_500n);
      const answers = await Promise.all([
        deliver(completed(payment, { payment_status: "unpaid" })),
        deliver(eventBody("checkout.session.async_payment_succeeded", sessionObject(payment))),
        deliver(completed(payment)),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      await expectCreditedOnce(payment);
      expect((await loadReseller(db(), reseller.id)).balance).toBe(2_500n);
    }
  });

  it("async_payment_failed fails the payment with a reason and credits nothing; a later expiry changes nothing", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const before = await bookState(db(), reseller.id);
    await deliver(completed(payment, { payment_status: "unpaid" }));
    const answer = await deliver(eventBody("checkout.session.async_payment_failed", sessionObject(payment, { payment_status: "unpaid" })));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "failed" } });
    const row = await loadPayment(payment.id);
    expect(row).toMatchObject({ status: "failed", ledgerEntryId: null, reason: "The payment failed at the gateway." });
    expect(row.settledAt).toBeInstanceOf(Date);
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
    const expired = await deliver(eventBody("checkout.session.expired", sessionObject(payment, { status: "expired", payment_status: "unpaid" })));
    expect(expired.body.outcome).toBe("no change: already failed");
    expect(await loadPayment(payment.id)).toMatchObject({ status: "failed" });
    const after = await bookState(db(), reseller.id);
    // Only the status audit row was added; no money moved.
    expect({ ...after, audit_rows: before.audit_rows }).toEqual(before);
    expect((await statusAudits(payment.id)).map((a) => [a.details!.from, a.details!.to])).toEqual([["pending", "failed"]]);
  });

  it("checkout.session.expired expires a pending payment", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const answer = await deliver(eventBody("checkout.session.expired", sessionObject(payment, { status: "expired", payment_status: "unpaid", payment_intent: null })));
    expect(answer.body.outcome).toBe("expired");
    expect(await loadPayment(payment.id)).toMatchObject({ status: "expired", reason: "The checkout expired without payment.", ledgerEntryId: null });
    expect((await statusAudits(payment.id)).map((a) => a.details!.to)).toEqual(["expired"]);
  });

  it("an expiry that arrives after the payment was credited changes nothing", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 2_000n);
    await deliver(completed(payment));
    const credit = await expectCreditedOnce(payment);
    const answer = await deliver(eventBody("checkout.session.expired", sessionObject(payment, { status: "expired", payment_status: "unpaid" })));
    expect(answer).toMatchObject({ status: 200, body: { outcome: `no change: already credited (entry ${credit.id})` } });
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(2_000n);
    expect(await statusAudits(payment.id)).toHaveLength(1);
    const failed = await deliver(eventBody("checkout.session.async_payment_failed", sessionObject(payment, { payment_status: "unpaid" })));
    expect(failed.body.outcome).toMatch(/^no change: already credited/);
    await expectCreditedOnce(payment);
  });

  it("money taken after the checkout expired here is still credited once (late paid event)", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 1_200n);
    await deliver(eventBody("checkout.session.expired", sessionObject(payment, { status: "expired", payment_status: "unpaid" })));
    expect((await loadPayment(payment.id)).status).toBe("expired");
    expect((await deliver(completed(payment))).body.outcome).toMatch(/^credited/);
    await expectCreditedOnce(payment);
    expect((await statusAudits(payment.id)).map((a) => [a.details!.from, a.details!.to])).toEqual([
      ["pending", "expired"],
      ["expired", "paid"],
    ]);
  });

  it("adopts the session of a payment whose start stopped before saving the session id (metadata names the row)", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 900n, { checkoutSessionId: null, checkoutUrl: null });
    const sessionId = `cs_test_${hex(16)}`;
    const body = eventBody("checkout.session.completed", sessionObject(payment, { id: sessionId }));
    expect((await deliver(body)).body.outcome).toMatch(/^credited/);
    const row = await loadPayment(payment.id);
    expect(row).toMatchObject({ status: "paid", checkoutSessionId: sessionId });
    await expectCreditedOnce(row);
    expect(await eventRow(eventIdOf(body))).toMatchObject({ onlinePaymentId: payment.id, checkoutSessionId: sessionId });
  });

  it("adopting a session under concurrent deliveries credits once and links every event to the payment", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 900n, { checkoutSessionId: null, checkoutUrl: null });
    const sessionId = `cs_test_${hex(16)}`;
    const bodies = Array.from({ length: 6 }, () => eventBody("checkout.session.completed", sessionObject(payment, { id: sessionId })));
    const answers = await Promise.all(bodies.map((body) => deliver(body)));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    const row = await loadPayment(payment.id);
    await expectCreditedOnce(row);
    const events = await eventsOfSession(sessionId);
    expect(events).toHaveLength(6);
    expect(events.every((e) => e.onlinePaymentId === payment.id)).toBe(true);
  });
});

describe("handleStripeWebhook: what does not match is flagged, never credited", () => {
  async function expectFlaggedWithoutCredit(payment: OnlinePayment, reason: RegExp) {
    const row = await loadPayment(payment.id);
    expect(row.status).toBe("flagged");
    expect(row.ledgerEntryId).toBeNull();
    expect(row.reason).toMatch(reason);
    expect(await onlineCredits(payment.resellerId)).toHaveLength(0);
    expect((await loadReseller(db(), payment.resellerId)).balance).toBe(0n);
    const audits = await statusAudits(payment.id);
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ from: "pending", to: "flagged", reason: row.reason });
  }

  it("flags an amount that differs from what was started", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 5_000n);
    const answer = await deliver(completed(payment, { amount_total: 500 }));
    expect(answer.status).toBe(200);
    expect(answer.body.outcome).toMatch(/^flagged: The gateway reports 500 minor units/);
    await expectFlaggedWithoutCredit(payment, /500 minor units/);
  });

  it("flags another currency", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const answer = await deliver(completed(payment, { currency: "eur" }));
    expect(answer.body.outcome).toMatch(/^flagged: The gateway reports currency EUR, not USD/);
    await expectFlaggedWithoutCredit(payment, /currency EUR/);
  });

  it("flags metadata naming another reseller", async () => {
    const reseller = await makeReseller(db());
    const other = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const answer = await deliver(completed(payment, { metadata: { online_payment_id: payment.id, reseller_id: other.id } }));
    expect(answer.body.outcome).toMatch(/^flagged: The gateway names another reseller/);
    await expectFlaggedWithoutCredit(payment, /another reseller/);
    expect(await onlineCredits(other.id)).toHaveLength(0);
  });

  it("flags metadata naming another online payment for this session", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const decoy = await pendingPayment(reseller.id);
    const answer = await deliver(completed(payment, { metadata: { online_payment_id: decoy.id, reseller_id: reseller.id } }));
    expect(answer.body.outcome).toMatch(/^flagged: The gateway names another online payment/);
    await expectFlaggedWithoutCredit(payment, /another online payment/);
    expect(await loadPayment(decoy.id)).toMatchObject({ status: "pending" });
  });

  it("flags a live-mode event for a test-mode payment", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const body = eventBody("checkout.session.completed", sessionObject(payment, { livemode: true }), { livemode: true });
    const answer = await deliver(body);
    expect(answer.body.outcome).toMatch(/^flagged: A live-mode event arrived/);
    await expectFlaggedWithoutCredit(payment, /live-mode/);
    expect(await eventRow(eventIdOf(body))).toMatchObject({ livemode: true, onlinePaymentId: payment.id });
  });

  it("flags a test-mode event for a live payment", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 5_000n, { gatewayMode: "live", checkoutSessionId: `cs_live_${hex(16)}` });
    const answer = await deliver(completed(payment));
    expect(answer.body.outcome).toMatch(/^flagged: A test-mode event arrived for a live payment/);
    await expectFlaggedWithoutCredit(payment, /test-mode/);
  });

  it("a flagged payment stays flagged: a later matching paid event credits nothing", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    await deliver(completed(payment, { amount_total: 1 }));
    const later = await deliver(completed(payment));
    expect(later.body.outcome).toBe("no change: flagged for the admin");
    await expectFlaggedWithoutCredit(payment, /1 minor units/);
  });

  it("charge.refunded for a paid payment flags it for the admin; the ledger is unchanged", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 3_000n);
    await deliver(completed(payment));
    const credit = await expectCreditedOnce(payment);
    const ledgerBefore = await ledgerOf(db(), reseller.id);

    const charge = { id: `ch_${hex(8)}`, object: "charge", amount: 3_000, amount_refunded: 3_000, currency: "usd", refunded: true, payment_intent: intentOf(payment), livemode: false };
    const body = eventBody("charge.refunded", charge);
    const answer = await deliver(body);
    expect(answer.status).toBe(200);
    expect(answer.body.outcome).toMatch(/^flagged: Refunded at the gateway \(3000 of 3000 minor units\)/);
    const row = await loadPayment(payment.id);
    expect(row).toMatchObject({ status: "flagged", ledgerEntryId: credit.id });
    expect(row.reason).toMatch(/Post a reversal/);
    expect(await ledgerOf(db(), reseller.id)).toEqual(ledgerBefore);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(3_000n);
    expect(await eventRow(eventIdOf(body))).toMatchObject({ type: "charge.refunded", checkoutSessionId: null, onlinePaymentId: payment.id });
    expect((await statusAudits(payment.id)).map((a) => [a.details!.from, a.details!.to])).toEqual([
      ["pending", "paid"],
      ["paid", "flagged"],
    ]);
    // The same refund told again (a new event id) changes nothing more.
    expect((await deliver(eventBody("charge.refunded", charge))).body.outcome).toBe("no change: already flagged");
    expect(await statusAudits(payment.id)).toHaveLength(2);
  });

  it("charge.dispute.created for a paid payment flags it; the ledger is unchanged", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id, 3_000n);
    await deliver(completed(payment));
    const ledgerBefore = await ledgerOf(db(), reseller.id);
    const dispute = { id: `dp_${hex(8)}`, object: "dispute", amount: 3_000, currency: "usd", reason: "fraudulent", payment_intent: intentOf(payment), livemode: false };
    const answer = await deliver(eventBody("charge.dispute.created", dispute));
    expect(answer.body.outcome).toMatch(/^flagged: Disputed at the gateway \(reason: fraudulent\)/);
    expect(await loadPayment(payment.id)).toMatchObject({ status: "flagged" });
    expect(await ledgerOf(db(), reseller.id)).toEqual(ledgerBefore);
  });
});

describe("handleStripeWebhook: events Lastmile does not act on", () => {
  it("answers 200 to an unknown event type and records it as ignored", async () => {
    const body = eventBody("customer.created", { id: `cus_${hex(8)}`, object: "customer" });
    const answer = await deliver(body);
    expect(answer).toEqual({ status: 200, body: { received: true, outcome: "ignored: Lastmile does not handle customer.created" } });
    const row = await eventRow(eventIdOf(body));
    expect(row).toMatchObject({ type: "customer.created", onlinePaymentId: null, checkoutSessionId: null });
    expect(row!.outcome).toMatch(/^ignored/);
    expect((await deliver(body)).body.duplicate).toBe(true);
  });

  it("answers 200 to an event for a session no payment has, records it as ignored and credits nothing", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const stranger = sessionObject(payment, { id: `cs_test_${hex(16)}`, metadata: {}, client_reference_id: null });
    const body = eventBody("checkout.session.completed", stranger);
    const answer = await deliver(body);
    expect(answer).toMatchObject({ status: 200, body: { received: true, outcome: "ignored: no online payment has this session" } });
    expect(await eventRow(eventIdOf(body))).toMatchObject({ onlinePaymentId: null, checkoutSessionId: stranger.id, outcome: "ignored: no online payment has this session" });
    expect(await loadPayment(payment.id)).toMatchObject({ status: "pending" });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });

  it("an unknown session whose metadata names a payment that already has another session is ignored", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const answer = await deliver(eventBody("checkout.session.completed", sessionObject(payment, { id: `cs_test_${hex(16)}` })));
    expect(answer.body.outcome).toBe("ignored: no online payment has this session");
    expect(await loadPayment(payment.id)).toMatchObject({ status: "pending", ledgerEntryId: null });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });

  it("a refund for a payment intent no payment has is ignored", async () => {
    const answer = await deliver(eventBody("charge.refunded", { id: "ch_x", object: "charge", amount: 100, amount_refunded: 100, payment_intent: `pi_${hex(8)}` }));
    expect(answer).toMatchObject({ status: 200, body: { outcome: "ignored: no online payment has this payment intent" } });
  });

  it("an event without an id is refused as malformed (400) and not recorded", async () => {
    const before = await eventCount();
    const body = JSON.stringify({ object: "event", type: "checkout.session.completed", data: { object: {} } });
    expect(await deliver(body)).toMatchObject({ status: 400, body: { error: "Malformed event." } });
    expect(await eventCount()).toBe(before);
  });
});

describe("handleStripeWebhook: the sandbox drives the same path", () => {
  async function sandboxPayment(resellerId: string, amount: bigint) {
    return pendingPayment(resellerId, amount, { gatewayMode: "sandbox", checkoutSessionId: `cs_sandbox_${hex(16)}`, checkoutUrl: null });
  }
  const deliverAll = async (bodies: string[]) => {
    const answers = [];
    for (const body of bodies) answers.push(await deliver(body, { config: sandboxConfig }));
    return answers;
  };

  it("pay: one signed completed event credits once; delivered again, nothing more", async () => {
    const reseller = await postpaidOwing(1);
    const payment = await sandboxPayment(reseller.id, 1_000n);
    const events = sandboxEvents(payment, "pay");
    expect((await deliverAll(events)).map((a) => a.status)).toEqual([200]);
    expect((await deliverAll(events))[0]!.body.duplicate).toBe(true);
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(0n);
    expect((await statusAudits(payment.id))[0]!.actorLabel).toBe("payment gateway (sandbox)");
  });

  it("pay_async: completed unpaid, then async succeeded, credits once", async () => {
    const reseller = await makeReseller(db());
    const payment = await sandboxPayment(reseller.id, 2_200n);
    const answers = await deliverAll(sandboxEvents(payment, "pay_async"));
    expect(answers.map((a) => a.body.outcome)).toEqual(["no change: the payment is still being processed", expect.stringMatching(/^credited/)]);
    await expectCreditedOnce(payment);
  });

  it("fail: the payment fails, nothing is credited", async () => {
    const reseller = await makeReseller(db());
    const payment = await sandboxPayment(reseller.id, 2_200n);
    await deliverAll(sandboxEvents(payment, "fail"));
    expect(await loadPayment(payment.id)).toMatchObject({ status: "failed", ledgerEntryId: null });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });

  it("a live-mode event for a sandbox payment is flagged", async () => {
    const reseller = await makeReseller(db());
    const payment = await sandboxPayment(reseller.id, 2_200n);
    const answer = await deliver(eventBody("checkout.session.completed", sessionObject(payment, { livemode: true }), { livemode: true }), { config: sandboxConfig });
    expect(answer.body.outcome).toMatch(/^flagged: A live-mode event arrived for a test or sandbox payment/);
    expect(await loadPayment(payment.id)).toMatchObject({ status: "flagged", ledgerEntryId: null });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });
});

describe("the sandbox checkout, end to end over HTTP", () => {
  let server: Server;
  let webhookUrl = "";
  const BASE = "http://lastmile.test";

  beforeAll(async () => {
    // Stands in for app/api/payments/stripe/webhook/route.ts: the raw body and the header to handleStripeWebhook.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", async () => {
        const reply = (status: number, body: unknown) => {
          res.writeHead(status, { "content-type": "application/json" });
          res.end(JSON.stringify(body));
        };
        if (req.url === "/broken") return reply(500, { received: false });
        try {
          const signature = req.headers["stripe-signature"];
          const answer = await handleStripeWebhook(db(), Buffer.concat(chunks).toString("utf8"), typeof signature === "string" ? signature : null, sandboxConfig);
          reply(answer.status, answer.body);
        } catch {
          reply(500, { received: false });
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/payments/stripe/webhook`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function startSandbox(amount: bigint) {
    const reseller = await makeReseller(db());
    const gateway = gatewayFor(db(), sandboxConfig, BASE)!;
    const key = newKey();
    const actor = resellerActor(reseller.id);
    const result = await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount, idempotencyKey: key });
    return { reseller, gateway, key, actor, result, payment: await loadPayment(result.onlinePaymentId) };
  }

  it("start with the sandbox gateway, pay on its checkout: signed events over HTTP credit once", async () => {
    const { reseller, key, result, payment } = await startSandbox(3_300n);
    expect(payment).toMatchObject({ gatewayMode: "sandbox", status: "pending", checkoutSessionId: sandboxSessionId(key) });
    expect(result.checkoutUrl).toBe(`${BASE}/portal/pay-online/${payment.id}/sandbox`);

    expect(await deliverSandboxEvents(sandboxConfig, payment, "pay", webhookUrl)).toEqual([200]);
    await expectCreditedOnce(payment);
    expect((await loadReseller(db(), reseller.id)).balance).toBe(3_300n);
    // The checkout page pressed again (with the row as it was read before): new events, no second credit.
    expect(await deliverSandboxEvents(sandboxConfig, payment, "pay_async", webhookUrl)).toEqual([200, 200]);
    await expectCreditedOnce(payment);
    // With the row as it is now, the sandbox refuses a finished payment.
    expect(await failureCode(deliverSandboxEvents(sandboxConfig, await loadPayment(payment.id), "pay", webhookUrl))).toBe("PAYMENT_NOT_PENDING");
  });

  it("pay_async credits once; fail fails, with nothing credited", async () => {
    const paid = await startSandbox(1_000n);
    expect(await deliverSandboxEvents(sandboxConfig, paid.payment, "pay_async", webhookUrl)).toEqual([200, 200]);
    await expectCreditedOnce(paid.payment);
    const failed = await startSandbox(1_000n);
    expect(await deliverSandboxEvents(sandboxConfig, failed.payment, "fail", webhookUrl)).toEqual([200, 200]);
    expect(await loadPayment(failed.payment.id)).toMatchObject({ status: "failed", ledgerEntryId: null });
    expect(await onlineCredits(failed.reseller.id)).toHaveLength(0);
  });

  it("the sandbox refuses to run outside the sandbox, and reports a webhook error without crediting", async () => {
    const { reseller, payment } = await startSandbox(1_000n);
    expect(await failureCode(deliverSandboxEvents(config, payment, "pay", webhookUrl))).toBe("FORBIDDEN");
    expect(await failureCode(deliverSandboxEvents(sandboxConfig, { ...payment, gatewayMode: "test" }, "pay", webhookUrl))).toBe("FORBIDDEN");
    expect(await failureCode(deliverSandboxEvents(sandboxConfig, payment, "pay", webhookUrl.replace(/\/api\/.*$/, "/broken")))).toBe("GATEWAY_UNAVAILABLE");
    // Events signed with another secret are refused by the webhook: the sandbox reports it.
    expect(await failureCode(deliverSandboxEvents({ mode: "sandbox", webhookSecret: "whsec_wrong" }, payment, "pay", webhookUrl))).toBe("GATEWAY_UNAVAILABLE");
    expect(await loadPayment(payment.id)).toMatchObject({ status: "pending" });
    expect(await onlineCredits(reseller.id)).toHaveLength(0);
  });

  it("the same key again gets the same sandbox checkout; cancel closes it", async () => {
    const { reseller, gateway, key, actor, result, payment } = await startSandbox(1_000n);
    expect(await startOnlinePayment(db(), actor, gateway, { resellerId: reseller.id, amount: 1_000n, idempotencyKey: key })).toEqual({ ...result, replayed: true });
    expect(await cancelOnlinePayment(db(), actor, gateway, payment.id)).toEqual({ status: "canceled" });
    expect(await loadPayment(payment.id)).toMatchObject({ status: "canceled", ledgerEntryId: null });
  });

  it("reconcile: a sandbox checkout left unpaid for over 24 hours expires; a fresh one stays open", async () => {
    const reseller = await makeReseller(db());
    const gateway = gatewayFor(db(), sandboxConfig, BASE)!;
    const old = await pendingPayment(reseller.id, 1_000n, { gatewayMode: "sandbox", checkoutSessionId: `cs_sandbox_${hex(16)}`, createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) });
    const fresh = await pendingPayment(reseller.id, 1_000n, { gatewayMode: "sandbox", checkoutSessionId: `cs_sandbox_${hex(16)}` });
    // A second ahead, so the row inserted just now is past the cut-off whatever the clock's resolution.
    const changes = await reconcilePending(db(), gateway, { olderThanMinutes: 0, now: new Date(Date.now() + 1_000) });
    expect(changes.filter((c) => c.onlinePaymentId === old.id)).toEqual([{ onlinePaymentId: old.id, from: "pending", to: "expired", outcome: "expired" }]);
    expect(changes.filter((c) => c.onlinePaymentId === fresh.id)).toEqual([{ onlinePaymentId: fresh.id, from: "pending", to: null, outcome: "no change: the session is still open" }]);
    expect(await loadPayment(old.id)).toMatchObject({ status: "expired" });
    expect(await loadPayment(fresh.id)).toMatchObject({ status: "pending" });
  });
});

describe("online_payments and stripe_events in the database", () => {
  it("the agreed terms and the credit of a payment are fixed; rows are never deleted", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    await deliver(completed(payment));
    // Even the owner of the tables is refused (the app role may not even try these: least-privilege.test.ts).
    const owner = ownerDb().db;
    const refuse = async (run: () => Promise<unknown>) => {
      try {
        await run();
        return "(succeeded)";
      } catch (error) {
        return String((error as { cause?: unknown }).cause ?? error);
      }
    };
    expect(await refuse(() => owner.update(onlinePayments).set({ amount: 1n }).where(eq(onlinePayments.id, payment.id)))).toMatch(/fixed once set/);
    expect(await refuse(() => owner.update(onlinePayments).set({ checkoutSessionId: "cs_test_other" }).where(eq(onlinePayments.id, payment.id)))).toMatch(/fixed once set/);
    expect(await refuse(() => owner.update(onlinePayments).set({ ledgerEntryId: null, status: "pending" }).where(eq(onlinePayments.id, payment.id)))).toMatch(/fixed once set/);
    expect(await refuse(() => owner.delete(onlinePayments).where(eq(onlinePayments.id, payment.id)))).toMatch(/never deleted/);
    expect(await refuse(() => owner.delete(stripeEvents))).not.toBe("(succeeded)");
    expect(await eventsOfSession(payment.checkoutSessionId)).toHaveLength(1);
  });

  it("a paid status needs a ledger entry; a session id and an idempotency key belong to one payment", async () => {
    const reseller = await makeReseller(db());
    const payment = await pendingPayment(reseller.id);
    const fails = async (run: () => Promise<unknown>) => run().then(() => false, () => true);
    expect(await fails(() => db().update(onlinePayments).set({ status: "paid" }).where(eq(onlinePayments.id, payment.id)))).toBe(true);
    expect(await fails(() => pendingPayment(reseller.id, 100n, { checkoutSessionId: payment.checkoutSessionId }))).toBe(true);
    expect(await fails(() => pendingPayment(reseller.id, 100n, { idempotencyKey: payment.idempotencyKey }))).toBe(true);
    expect(await fails(() => pendingPayment(reseller.id, 0n))).toBe(true);
    expect(await fails(() => pendingPayment(reseller.id, 100n, { currency: "usd" }))).toBe(true);
  });
});
