import { routeHandler } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { gatewayConfig } from "@/lib/payments/gateway";
import { handleStripeWebhook, WEBHOOK_MAX_BYTES } from "@/lib/payments/webhook";

export const dynamic = "force-dynamic";

// A few bytes of JSON for a machine: not worth compressing (no-transform keeps Next from gzipping each answer).
const answerHeaders = { "cache-control": "no-store, no-transform" };
const tooLarge = () => Response.json({ received: false, error: "Payload too large." }, { status: 413, headers: answerHeaders });

/** The raw body as text, or null past `limit` bytes (read no further than that, whatever Content-Length claims). */
async function readLimited(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

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
    if (Number(request.headers.get("content-length") ?? 0) > WEBHOOK_MAX_BYTES) return tooLarge();
    // The signature covers the exact bytes: the raw text, never parsed JSON.
    const body = await readLimited(request, WEBHOOK_MAX_BYTES);
    if (body === null) return tooLarge();
    const answer = await handleStripeWebhook(getDb(), body, request.headers.get("stripe-signature"), gatewayConfig());
    return Response.json(answer.body, { status: answer.status, headers: answerHeaders });
  },
  { label: "stripe webhook: not applied, the gateway will retry", headers: answerHeaders },
);
