import "server-only";
import { eq } from "drizzle-orm";
import Stripe from "stripe";
import type { Db, Tx } from "@/db/client";
import { stripeEvents } from "@/db/schema";
import { withTransientRetries } from "@/lib/db-retry";
import type { GatewayConfig } from "./gateway";
import { sessionFromStripe } from "./gateway";
import { flagByPaymentIntent, settleSession, type SettleResult } from "./settle";

/** Larger bodies are refused before they are read in full (Stripe's events are a few KB). */
export const WEBHOOK_MAX_BYTES = 256 * 1024;

export type WebhookAnswer = { status: number; body: { received: boolean; duplicate?: boolean; outcome?: string; error?: string } };

const refuse = (status: number, error: string): WebhookAnswer => ({ status, body: { received: false, error } });

const sessionEvents: Record<string, "paid" | "awaiting" | "failed" | "expired" | undefined> = {
  "checkout.session.completed": undefined, // paid or awaiting, by the session's payment_status
  "checkout.session.async_payment_succeeded": "paid",
  "checkout.session.async_payment_failed": "failed",
  "checkout.session.expired": "expired",
};

function intentOf(object: { payment_intent?: string | { id: string } | null }): string | null {
  const intent = object.payment_intent;
  return typeof intent === "string" ? intent : (intent?.id ?? null);
}

async function apply(tx: Tx, event: Stripe.Event): Promise<SettleResult | { outcome: string; onlinePaymentId?: null }> {
  const via = `event ${event.id} (${event.type})`;
  if (event.type in sessionEvents) {
    const session = sessionFromStripe(event.data.object as Stripe.Checkout.Session);
    const outcome = sessionEvents[event.type] ?? (session.paymentStatus === "paid" ? "paid" : "awaiting");
    return settleSession(tx, session, outcome, via);
  }
  if (event.type === "charge.refunded") {
    const charge = event.data.object as Stripe.Charge;
    const intent = intentOf(charge);
    return intent ? flagByPaymentIntent(tx, intent, `Refunded at the gateway (${charge.amount_refunded} of ${charge.amount} minor units). Post a reversal if the credit should go.`, via) : { outcome: "ignored: charge without a payment intent" };
  }
  if (event.type === "charge.dispute.created") {
    const dispute = event.data.object as Stripe.Dispute;
    const intent = intentOf(dispute);
    return intent ? flagByPaymentIntent(tx, intent, `Disputed at the gateway (reason: ${dispute.reason}).`, via) : { outcome: "ignored: dispute without a payment intent" };
  }
  return { outcome: `ignored: Lastmile does not handle ${event.type}` };
}

/**
 * Verifies and applies one gateway event. The signature is checked on the raw
 * body before anything is written; then ONE transaction records the event id
 * (a seen id answers 200 and does nothing: redeliveries and concurrent
 * deliveries wait on its unique key) and applies it. A database error throws,
 * so the route answers 500 and the gateway delivers again. The event row's two
 * statements run prepared (see runMoneyCommand in lib/billing/idempotency.ts on why).
 */
export async function handleStripeWebhook(db: Db, rawBody: string, signature: string | null, config: GatewayConfig): Promise<WebhookAnswer> {
  if (config.mode === "off") return refuse(503, "Online payment is not configured.");
  if (!config.webhookSecret) return refuse(503, "The webhook secret is not configured.");
  if (Buffer.byteLength(rawBody) > WEBHOOK_MAX_BYTES) return refuse(413, "Payload too large.");
  if (!signature) return refuse(400, "Missing Stripe-Signature header.");
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(rawBody, signature, config.webhookSecret);
  } catch {
    return refuse(400, "Invalid signature.");
  }
  if (typeof event.id !== "string" || !event.id || event.id.length > 255 || typeof event.type !== "string") return refuse(400, "Malformed event.");

  // A lost connection or a deadlock runs the event again (withTransientRetries): a first run that did commit left its event row, so the rerun answers "duplicate".
  return withTransientRetries(db, () => db.transaction(async (tx) => {
    const object = event.data?.object as { object?: string; id?: string } | undefined;
    const [inserted] = await tx
      .insert(stripeEvents)
      .values({
        id: event.id,
        type: event.type.slice(0, 200),
        livemode: Boolean(event.livemode),
        checkoutSessionId: object?.object === "checkout.session" ? (object.id ?? null) : null,
      })
      .onConflictDoNothing()
      .returning({ id: stripeEvents.id })
      .prepare("webhook_record_event")
      .execute();
    if (!inserted) return { status: 200, body: { received: true, duplicate: true } };
    const result = await apply(tx, event);
    await tx
      .update(stripeEvents)
      .set({ outcome: result.outcome.slice(0, 1000), onlinePaymentId: result.onlinePaymentId ?? null, processedAt: new Date() })
      .where(eq(stripeEvents.id, event.id))
      .prepare("webhook_event_outcome")
      .execute();
    return { status: 200, body: { received: true, outcome: result.outcome } };
  }));
}
