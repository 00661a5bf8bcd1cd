import { readBodyLimited } from "@/app/_server/body";
import { routeHandler } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { gatewayConfig } from "@/lib/payments/gateway";
import { handleStripeWebhook, WEBHOOK_MAX_BYTES } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

// A few bytes of JSON for a machine: not worth compressing (no-transform keeps Next from gzipping each answer).
const answerHeaders = { "cache-control": "no-store, no-transform" };
const tooLarge = () => Response.json({ received: false, error: "Payload too large." }, { status: 413, headers: answerHeaders });

/**
 * The gateway's word on a payment. Only this route (and the same command run
 * by the return page and reconciliation) credits online money. Its answers are
 * the gateway's contract: 200 applied or ignored, 400 bad signature, 413 too
 * large, 503 not configured (lib/payments/webhook.ts). Anything thrown (a
 * database error: nothing was written) goes through the shared error mapping
 * as a 500 problem, and the gateway delivers the event again.
 */
export const POST = routeHandler(
  async (request) => {
    // The signature covers the exact bytes: the raw text, never parsed JSON.
    const bytes = await readBodyLimited(request, WEBHOOK_MAX_BYTES);
    if (bytes === null) return tooLarge();
    const answer = await handleStripeWebhook(getDb(), Buffer.from(bytes).toString("utf8"), request.headers.get("stripe-signature"), gatewayConfig());
    return Response.json(answer.body, { status: answer.status, headers: answerHeaders });
  },
  { label: "stripe webhook: not applied, the gateway will retry", headers: answerHeaders },
);
