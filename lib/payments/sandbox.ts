import "server-only";
import { randomBytes } from "node:crypto";
import Stripe from "stripe";
import type { OnlinePayment } from "@/db/schema";
import { DomainError } from "@/lib/errors";
import type { GatewayConfig } from "./gateway";

export type SandboxChoice = "pay" | "pay_async" | "fail";

/** A Stripe-shaped checkout.session object for a sandbox payment. */
export function sandboxSessionObject(payment: OnlinePayment, paymentStatus: "paid" | "unpaid", status: "complete" | "expired" = "complete") {
  return {
    id: payment.checkoutSessionId,
    object: "checkout.session",
    mode: "payment",
    status,
    payment_status: paymentStatus,
    amount_total: Number(payment.amount),
    currency: payment.currency.toLowerCase(),
    client_reference_id: payment.id,
    metadata: { online_payment_id: payment.id, reseller_id: payment.resellerId },
    payment_intent: `pi_sandbox_${payment.id.replaceAll("-", "")}`,
    livemode: false,
    url: null,
  };
}

/** A Stripe-shaped event around `object`, as its JSON body. */
export function eventBody(type: string, object: unknown, id = `evt_sandbox_${randomBytes(12).toString("hex")}`): string {
  return JSON.stringify({ id, object: "event", type, livemode: false, created: Math.floor(Date.now() / 1000), api_version: null, data: { object } });
}

/** The events Stripe would send for what the payer chose on the sandbox checkout. */
export function sandboxEvents(payment: OnlinePayment, choice: SandboxChoice): string[] {
  if (choice === "pay") return [eventBody("checkout.session.completed", sandboxSessionObject(payment, "paid"))];
  const completedUnpaid = eventBody("checkout.session.completed", sandboxSessionObject(payment, "unpaid"));
  if (choice === "pay_async") return [completedUnpaid, eventBody("checkout.session.async_payment_succeeded", sandboxSessionObject(payment, "paid"))];
  return [completedUnpaid, eventBody("checkout.session.async_payment_failed", sandboxSessionObject(payment, "unpaid"))];
}

/**
 * Sends the sandbox's events, signed with the webhook secret, to the very same
 * webhook route over HTTP: the production path, end to end, without Stripe.
 */
export async function deliverSandboxEvents(config: GatewayConfig, payment: OnlinePayment, choice: SandboxChoice, webhookUrl: string): Promise<number[]> {
  if (config.mode !== "sandbox" || payment.gatewayMode !== "sandbox") throw new DomainError("FORBIDDEN", "The sandbox is not available on this install.");
  if (payment.status !== "pending" || !payment.checkoutSessionId) throw new DomainError("PAYMENT_NOT_PENDING");
  const statuses: number[] = [];
  for (const body of sandboxEvents(payment, choice)) {
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: config.webhookSecret });
    const response = await fetch(webhookUrl, { method: "POST", headers: { "content-type": "application/json", "stripe-signature": signature }, body });
    statuses.push(response.status);
    if (!response.ok) throw new DomainError("GATEWAY_UNAVAILABLE", `The webhook answered ${response.status}. Nothing was credited; try again.`);
  }
  return statuses;
}
