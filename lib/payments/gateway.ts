import "server-only";
import { createHash } from "node:crypto";
import Stripe from "stripe";
import type { GatewayMode } from "@/db/schema";
import { sandboxWebhookSecret } from "./sandbox-secret";

/**
 * Which gateway this install uses, decided by the environment only (keys are
 * never stored or shown): Stripe with live or test keys, the built-in sandbox
 * for local use, or off.
 */
export type GatewayConfig =
  | { mode: "off"; reason: string }
  | { mode: "live" | "test"; secretKey: string; webhookSecret: string | null; apiUrl: string | null }
  | { mode: "sandbox"; webhookSecret: string };

export type ActiveGatewayConfig = Exclude<GatewayConfig, { mode: "off" }>;

/**
 * The sandbox runs only without Stripe keys and only where money is not real:
 * the embedded database of `npm start`, or LASTMILE_PAYMENTS_SANDBOX=1.
 */
export function gatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const secretKey = env.STRIPE_SECRET_KEY?.trim();
  const webhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() || null;
  if (secretKey) {
    const mode = secretKey.startsWith("sk_live_") || secretKey.startsWith("rk_live_") ? "live" : "test";
    return { mode, secretKey, webhookSecret, apiUrl: env.STRIPE_API_URL?.trim() || null };
  }
  if (env.LASTMILE_PAYMENTS_SANDBOX === "1" || env.LASTMILE_EMBEDDED_DATABASE === "1") {
    return { mode: "sandbox", webhookSecret: webhookSecret ?? sandboxWebhookSecret(env) };
  }
  return { mode: "off", reason: "No payment gateway is configured (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)." };
}

export const gatewayModeLabels: Record<GatewayConfig["mode"], string> = {
  live: "Stripe, live keys",
  test: "Stripe, test keys",
  sandbox: "Sandbox — no real money",
  off: "Off",
};

/** A Checkout Session as Lastmile needs it, whether from an event, the API or the sandbox. */
export type GatewaySession = {
  id: string;
  url: string | null;
  /** Stripe's words: "open" | "complete" | "expired" (others may come). */
  status: string | null;
  /** "paid" | "unpaid" | "no_payment_required". */
  paymentStatus: string;
  /** Minor units; the gateway's integer. */
  amountTotal: bigint | null;
  /** Upper-case ISO 4217. */
  currency: string | null;
  onlinePaymentId: string | null;
  resellerId: string | null;
  paymentIntentId: string | null;
  livemode: boolean;
};

export type CheckoutRequest = {
  onlinePaymentId: string;
  resellerId: string;
  amount: bigint;
  currency: string;
  description: string;
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
  email?: string | null;
};

export interface Gateway {
  readonly mode: GatewayMode;
  createCheckoutSession(request: CheckoutRequest): Promise<GatewaySession>;
  retrieveSession(id: string): Promise<GatewaySession>;
  /** Closes an open session so it can no longer be paid. */
  expireSession(id: string): Promise<GatewaySession>;
}

/** Stripe's session object to Lastmile's shape. */
export function sessionFromStripe(session: Stripe.Checkout.Session): GatewaySession {
  const intent = session.payment_intent;
  return {
    id: session.id,
    url: session.url ?? null,
    status: session.status ?? null,
    paymentStatus: session.payment_status,
    amountTotal: typeof session.amount_total === "number" && Number.isSafeInteger(session.amount_total) ? BigInt(session.amount_total) : null,
    currency: session.currency ? session.currency.toUpperCase() : null,
    onlinePaymentId: session.metadata?.online_payment_id ?? session.client_reference_id ?? null,
    resellerId: session.metadata?.reseller_id ?? null,
    paymentIntentId: typeof intent === "string" ? intent : (intent?.id ?? null),
    livemode: Boolean(session.livemode),
  };
}

/** `STRIPE_API_URL` (e.g. http://127.0.0.1:12111) onto the client's host/port/protocol. */
export function stripeClientOptions(apiUrl: string | null): Stripe.StripeConfig {
  const options: Stripe.StripeConfig = { maxNetworkRetries: 2, telemetry: false, timeout: 20_000 };
  if (!apiUrl) return options;
  const url = new URL(apiUrl);
  const protocol = url.protocol === "http:" ? "http" : "https";
  // An IPv6 literal comes back as "[::1]"; node's http client wants it bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  return { ...options, host, port: Number(url.port || (protocol === "http" ? 80 : 443)), protocol };
}

export function stripeGateway(config: { mode: "live" | "test"; secretKey: string; apiUrl: string | null }): Gateway {
  const stripe = new Stripe(config.secretKey, stripeClientOptions(config.apiUrl));
  return {
    mode: config.mode,
    async createCheckoutSession(request) {
      const metadata = { online_payment_id: request.onlinePaymentId, reseller_id: request.resellerId };
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency.toLowerCase(),
                // Bounded by the settings' maximum (at most 99,999,999 minor units), so exact as a number.
                unit_amount: Number(request.amount),
                product_data: { name: request.description },
              },
            },
          ],
          client_reference_id: request.onlinePaymentId,
          metadata,
          payment_intent_data: { metadata },
          ...(request.email ? { customer_email: request.email } : {}),
          success_url: request.successUrl,
          cancel_url: request.cancelUrl,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return sessionFromStripe(session);
    },
    async retrieveSession(id) {
      return sessionFromStripe(await stripe.checkout.sessions.retrieve(id));
    },
    async expireSession(id) {
      return sessionFromStripe(await stripe.checkout.sessions.expire(id));
    },
  };
}

/** Stripe accepts amounts of at most eight digits in minor units. */
export const GATEWAY_MAX_MINOR_UNITS = 99_999_999n;

/** A sandbox session id is derived from the payment's key, so a retried start gets the same session. */
export function sandboxSessionId(idempotencyKey: string): string {
  return `cs_sandbox_${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 32)}`;
}

/**
 * The built-in stand-in for Stripe: sessions live only as Lastmile's own rows,
 * and its checkout page (under the portal) sends signed events to the webhook.
 */
export function sandboxGateway(baseUrl: string, lookup: (sessionId: string) => Promise<{ createdAt: Date; onlinePaymentId: string; resellerId: string; amount: bigint; currency: string } | null>): Gateway {
  const open = (id: string, request: { onlinePaymentId: string; resellerId: string; amount: bigint; currency: string }, status: GatewaySession["status"]): GatewaySession => ({
    id,
    url: `${baseUrl}/portal/pay-online/${request.onlinePaymentId}/sandbox`,
    status,
    paymentStatus: "unpaid",
    amountTotal: request.amount,
    currency: request.currency,
    onlinePaymentId: request.onlinePaymentId,
    resellerId: request.resellerId,
    paymentIntentId: null,
    livemode: false,
  });
  const known = async (id: string) => {
    const row = await lookup(id);
    if (!row) throw new Error(`No such sandbox checkout session: ${id}`);
    return row;
  };
  return {
    mode: "sandbox",
    async createCheckoutSession(request) {
      return open(sandboxSessionId(request.idempotencyKey), request, "open");
    },
    async retrieveSession(id) {
      const row = await known(id);
      // Like Stripe's default, an unpaid sandbox session expires after 24 hours.
      const expired = Date.now() - row.createdAt.getTime() > 24 * 60 * 60 * 1000;
      return open(id, row, expired ? "expired" : "open");
    },
    async expireSession(id) {
      return open(id, await known(id), "expired");
    },
  };
}
