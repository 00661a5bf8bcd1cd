import { getDb } from "@/db/client";
import { gatewayConfig } from "@/lib/payments/gateway";
import { handleStripeWebhook, WEBHOOK_MAX_BYTES } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

/**
 * The gateway's word on a payment. Only this route (and the same command run
 * by the return page and reconciliation) credits online money.
 */
export async function POST(request: Request): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > WEBHOOK_MAX_BYTES) return Response.json({ received: false, error: "Payload too large." }, { status: 413 });
  try {
    // The signature covers the exact bytes: read the raw text, never parsed JSON.
    const body = await request.text();
    const answer = await handleStripeWebhook(getDb(), body, request.headers.get("stripe-signature"), gatewayConfig());
    return Response.json(answer.body, { status: answer.status });
  } catch (error) {
    // A database error: nothing was written; 500 makes the gateway deliver the event again.
    console.error("stripe webhook: not applied, the gateway will retry", error);
    return Response.json({ received: false, error: "Temporary error; retry." }, { status: 500 });
  }
}
