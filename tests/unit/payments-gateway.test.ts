import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type Stripe from "stripe";
import { afterAll, describe, expect, it } from "vitest";
import type { OnlinePayment } from "@/db/schema";
import { GATEWAY_MAX_MINOR_UNITS, gatewayConfig, sandboxGateway, sandboxSessionId, sessionFromStripe, stripeClientOptions } from "@/lib/payments/gateway";
import { sandboxEvents, sandboxSessionObject } from "@/lib/payments/sandbox";
import { assertWithinBounds, defaultBounds } from "@/lib/payments/settings";
import { DomainError } from "@/lib/errors";

const dataDirs: string[] = [];
/** A fresh LASTMILE_DATA_DIR, so the sandbox secret is written to a temp folder, never the checkout's .data. */
function dataDir() {
  const dir = mkdtempSync(path.join(tmpdir(), "lastmile-gateway-"));
  dataDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** An environment with only the given variables (NODE_ENV is required by the type). */
const env = (vars: Record<string, string>): NodeJS.ProcessEnv => ({ NODE_ENV: "test", ...vars });

describe("gatewayConfig", () => {
  it("a live secret key (sk_live_ or restricted rk_live_) means live mode", () => {
    expect(gatewayConfig(env({ STRIPE_SECRET_KEY: "sk_live_abc", STRIPE_WEBHOOK_SECRET: "whsec_live" }))).toEqual({
      mode: "live",
      secretKey: "sk_live_abc",
      webhookSecret: "whsec_live",
      apiUrl: null,
    });
    expect(gatewayConfig(env({ STRIPE_SECRET_KEY: "rk_live_abc" }))).toMatchObject({ mode: "live", webhookSecret: null });
  });

  it("a test key means test mode; values are trimmed and STRIPE_API_URL is passed on", () => {
    expect(gatewayConfig(env({ STRIPE_SECRET_KEY: "  sk_test_abc \n", STRIPE_WEBHOOK_SECRET: " whsec_t ", STRIPE_API_URL: " http://127.0.0.1:12111 " }))).toEqual({
      mode: "test",
      secretKey: "sk_test_abc",
      webhookSecret: "whsec_t",
      apiUrl: "http://127.0.0.1:12111",
    });
    expect(gatewayConfig(env({ STRIPE_SECRET_KEY: "rk_test_abc", STRIPE_API_URL: "  " }))).toMatchObject({ mode: "test", apiUrl: null, webhookSecret: null });
  });

  it("no key and LASTMILE_PAYMENTS_SANDBOX=1: the sandbox, with a secret generated once into the data directory", () => {
    const dir = dataDir();
    const config = gatewayConfig(env({ LASTMILE_PAYMENTS_SANDBOX: "1", LASTMILE_DATA_DIR: dir }));
    expect(config.mode).toBe("sandbox");
    const secret = (config as { webhookSecret: string }).webhookSecret;
    expect(secret).toMatch(/^whsec_sandbox_[A-Za-z0-9_-]{20,}$/);
    const file = path.join(dir, "sandbox-webhook-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Every process on the machine reads the same secret.
    expect(gatewayConfig(env({ LASTMILE_PAYMENTS_SANDBOX: "1", LASTMILE_DATA_DIR: dir }))).toEqual({ mode: "sandbox", webhookSecret: secret });
    // Another data directory, another secret.
    expect(gatewayConfig(env({ LASTMILE_PAYMENTS_SANDBOX: "1", LASTMILE_DATA_DIR: dataDir() }))).not.toEqual(config);
  });

  it("no key on the embedded database: the sandbox; an explicit STRIPE_WEBHOOK_SECRET is used as the sandbox's secret", () => {
    expect(gatewayConfig(env({ LASTMILE_EMBEDDED_DATABASE: "1", LASTMILE_DATA_DIR: dataDir() })).mode).toBe("sandbox");
    expect(gatewayConfig(env({ LASTMILE_PAYMENTS_SANDBOX: "1", STRIPE_WEBHOOK_SECRET: "whsec_mine", LASTMILE_DATA_DIR: dataDir() }))).toEqual({
      mode: "sandbox",
      webhookSecret: "whsec_mine",
    });
  });

  it("no key and no sandbox flag: off, with a reason", () => {
    const off = gatewayConfig(env({}));
    expect(off.mode).toBe("off");
    expect((off as { reason: string }).reason).toMatch(/STRIPE_SECRET_KEY/);
    expect(gatewayConfig(env({ LASTMILE_PAYMENTS_SANDBOX: "0" })).mode).toBe("off");
    expect(gatewayConfig(env({ LASTMILE_PAYMENTS_SANDBOX: "true" })).mode).toBe("off");
    expect(gatewayConfig(env({ STRIPE_SECRET_KEY: "   ", STRIPE_WEBHOOK_SECRET: "whsec_x" })).mode).toBe("off");
  });

  it("a Stripe key set ALWAYS wins over the sandbox flags (a production install can never run the sandbox)", () => {
    const flags = { LASTMILE_PAYMENTS_SANDBOX: "1", LASTMILE_EMBEDDED_DATABASE: "1", LASTMILE_DATA_DIR: dataDir() };
    expect(gatewayConfig(env({ ...flags, STRIPE_SECRET_KEY: "sk_live_real", STRIPE_WEBHOOK_SECRET: "whsec_live" }))).toEqual({
      mode: "live",
      secretKey: "sk_live_real",
      webhookSecret: "whsec_live",
      apiUrl: null,
    });
    expect(gatewayConfig(env({ ...flags, STRIPE_SECRET_KEY: "sk_test_x" })).mode).toBe("test");
    // Not even a secret file is written for a Stripe install.
    expect(() => statSync(path.join(flags.LASTMILE_DATA_DIR, "sandbox-webhook-secret"))).toThrow();
  });
});

describe("stripeClientOptions", () => {
  it("without STRIPE_API_URL: Stripe's own host, two retries, no telemetry, a timeout", () => {
    expect(stripeClientOptions(null)).toEqual({ maxNetworkRetries: 2, telemetry: false, timeout: 20_000 });
  });

  it("maps STRIPE_API_URL onto host, port and protocol", () => {
    expect(stripeClientOptions("http://127.0.0.1:12111")).toMatchObject({ host: "127.0.0.1", port: 12111, protocol: "http", maxNetworkRetries: 2 });
    expect(stripeClientOptions("https://stripe-mock.internal:8443/")).toMatchObject({ host: "stripe-mock.internal", port: 8443, protocol: "https" });
    expect(stripeClientOptions("http://localhost")).toMatchObject({ host: "localhost", port: 80, protocol: "http" });
    expect(stripeClientOptions("https://api.example.test")).toMatchObject({ host: "api.example.test", port: 443, protocol: "https" });
  });

  it("an IPv6 literal is passed without its URL brackets (node's http client cannot resolve \"[::1]\")", () => {
    expect(stripeClientOptions("http://[::1]:12111")).toMatchObject({ host: "::1", port: 12111, protocol: "http" });
  });

  it("refuses a value that is not a URL", () => {
    expect(() => stripeClientOptions("127.0.0.1:12111 not a url")).toThrow();
  });
});

/** A Stripe-shaped Checkout Session with only the fields sessionFromStripe reads. */
function stripeSession(overrides: Record<string, unknown> = {}): Stripe.Checkout.Session {
  return {
    id: "cs_test_a1",
    object: "checkout.session",
    url: "https://checkout.stripe.com/c/pay/cs_test_a1",
    status: "complete",
    payment_status: "paid",
    amount_total: 12_345,
    currency: "usd",
    client_reference_id: "11111111-1111-4111-8111-111111111111",
    metadata: { online_payment_id: "22222222-2222-4222-8222-222222222222", reseller_id: "33333333-3333-4333-8333-333333333333" },
    payment_intent: "pi_123",
    livemode: false,
    ...overrides,
  } as unknown as Stripe.Checkout.Session;
}

describe("sessionFromStripe", () => {
  it("maps Stripe's session onto Lastmile's: bigint amount, upper-case currency, ids from metadata", () => {
    expect(sessionFromStripe(stripeSession())).toEqual({
      id: "cs_test_a1",
      url: "https://checkout.stripe.com/c/pay/cs_test_a1",
      status: "complete",
      paymentStatus: "paid",
      amountTotal: 12_345n,
      currency: "USD",
      onlinePaymentId: "22222222-2222-4222-8222-222222222222",
      resellerId: "33333333-3333-4333-8333-333333333333",
      paymentIntentId: "pi_123",
      livemode: false,
    });
  });

  it("takes the payment intent's id when it is expanded, and null when there is none", () => {
    expect(sessionFromStripe(stripeSession({ payment_intent: { id: "pi_expanded", object: "payment_intent" } })).paymentIntentId).toBe("pi_expanded");
    expect(sessionFromStripe(stripeSession({ payment_intent: null })).paymentIntentId).toBeNull();
  });

  it("falls back to client_reference_id without metadata, and to nulls without either", () => {
    const noMetadata = sessionFromStripe(stripeSession({ metadata: {} }));
    expect(noMetadata).toMatchObject({ onlinePaymentId: "11111111-1111-4111-8111-111111111111", resellerId: null });
    expect(sessionFromStripe(stripeSession({ metadata: null, client_reference_id: null }))).toMatchObject({ onlinePaymentId: null, resellerId: null });
  });

  it("an amount that is missing or not a safe integer is unknown (null), never rounded", () => {
    expect(sessionFromStripe(stripeSession({ amount_total: null })).amountTotal).toBeNull();
    expect(sessionFromStripe(stripeSession({ amount_total: 10.5 })).amountTotal).toBeNull();
    expect(sessionFromStripe(stripeSession({ amount_total: 2 ** 60 })).amountTotal).toBeNull();
    expect(sessionFromStripe(stripeSession({ amount_total: "100" })).amountTotal).toBeNull();
    expect(sessionFromStripe(stripeSession({ amount_total: 0 })).amountTotal).toBe(0n);
  });

  it("missing url, status and currency become null; livemode is a boolean", () => {
    const mapped = sessionFromStripe(stripeSession({ url: undefined, status: null, currency: null, livemode: true }));
    expect(mapped).toMatchObject({ url: null, status: null, currency: null, livemode: true });
    expect(sessionFromStripe(stripeSession({ livemode: undefined })).livemode).toBe(false);
  });
});

describe("the sandbox gateway", () => {
  const row = { createdAt: new Date(), onlinePaymentId: "22222222-2222-4222-8222-222222222222", resellerId: "33333333-3333-4333-8333-333333333333", amount: 5_000n, currency: "USD" };
  const request = { ...row, description: "Payment", successUrl: "http://x/s", cancelUrl: "http://x/c", idempotencyKey: "key-1" };

  it("derives the session id from the payment's key, so a retried start gets the same session", async () => {
    expect(sandboxSessionId("key-1")).toBe(sandboxSessionId("key-1"));
    expect(sandboxSessionId("key-1")).not.toBe(sandboxSessionId("key-2"));
    expect(sandboxSessionId("key-1")).toMatch(/^cs_sandbox_[0-9a-f]{32}$/);
    const gateway = sandboxGateway("http://lastmile.test", async () => null);
    expect(gateway.mode).toBe("sandbox");
    const session = await gateway.createCheckoutSession(request);
    expect(session).toEqual({
      id: sandboxSessionId("key-1"),
      url: `http://lastmile.test/portal/pay-online/${row.onlinePaymentId}/sandbox`,
      status: "open",
      paymentStatus: "unpaid",
      amountTotal: 5_000n,
      currency: "USD",
      onlinePaymentId: row.onlinePaymentId,
      resellerId: row.resellerId,
      paymentIntentId: null,
      livemode: false,
    });
  });

  it("an unpaid session is open for 24 hours, then expired; expiring closes it; an unknown id is an error", async () => {
    let stored: typeof row | null = row;
    const gateway = sandboxGateway("http://lastmile.test", async () => stored);
    expect((await gateway.retrieveSession("cs_sandbox_x")).status).toBe("open");
    stored = { ...row, createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) };
    expect((await gateway.retrieveSession("cs_sandbox_x")).status).toBe("expired");
    stored = row;
    expect((await gateway.expireSession("cs_sandbox_x")).status).toBe("expired");
    stored = null;
    await expect(gateway.retrieveSession("cs_sandbox_missing")).rejects.toThrow(/No such sandbox checkout session/);
  });

  it("sends the events Stripe would, shaped like Stripe's", () => {
    const payment = {
      id: row.onlinePaymentId,
      resellerId: row.resellerId,
      amount: 5_000n,
      currency: "USD",
      checkoutSessionId: "cs_sandbox_abc",
    } as OnlinePayment;
    const types = (choice: Parameters<typeof sandboxEvents>[1]) => sandboxEvents(payment, choice).map((b) => JSON.parse(b) as { type: string; id: string; livemode: boolean; data: { object: { payment_status: string } } });
    expect(types("pay").map((e) => [e.type, e.data.object.payment_status])).toEqual([["checkout.session.completed", "paid"]]);
    expect(types("pay_async").map((e) => [e.type, e.data.object.payment_status])).toEqual([
      ["checkout.session.completed", "unpaid"],
      ["checkout.session.async_payment_succeeded", "paid"],
    ]);
    expect(types("fail").map((e) => e.type)).toEqual(["checkout.session.completed", "checkout.session.async_payment_failed"]);
    const [a, b] = types("pay_async");
    expect(a!.id).not.toBe(b!.id);
    expect(a!.livemode).toBe(false);
    // What the webhook reads back maps to the payment exactly.
    const mapped = sessionFromStripe(sandboxSessionObject(payment, "paid") as unknown as Stripe.Checkout.Session);
    expect(mapped).toMatchObject({ id: "cs_sandbox_abc", amountTotal: 5_000n, currency: "USD", onlinePaymentId: payment.id, resellerId: payment.resellerId, livemode: false });
  });
});

describe("payment bounds", () => {
  it("default to 1 and 100,000 in the currency's major unit", () => {
    expect(defaultBounds("USD")).toEqual({ minAmount: 100n, maxAmount: 10_000_000n });
    expect(defaultBounds("JPY")).toEqual({ minAmount: 1n, maxAmount: 100_000n });
    expect(defaultBounds("USD").maxAmount).toBeLessThanOrEqual(GATEWAY_MAX_MINOR_UNITS);
  });

  it("assertWithinBounds is inclusive and names the bounds in the field message", () => {
    const settings = { onlineEnabled: true, minAmount: 500n, maxAmount: 1_000n };
    expect(() => assertWithinBounds(500n, settings, "USD")).not.toThrow();
    expect(() => assertWithinBounds(1_000n, settings, "USD")).not.toThrow();
    for (const amount of [499n, 1_001n]) {
      try {
        assertWithinBounds(amount, settings, "USD");
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe("INVALID_AMOUNT");
        expect((error as DomainError).fields?.amount).toMatch(/\$5\.00.*\$10\.00/);
      }
    }
  });
});
