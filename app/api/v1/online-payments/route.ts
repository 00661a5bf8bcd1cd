import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { amount, iso, isoOrNull, listJson } from "@/lib/api/present";
import { startOnlinePayment } from "@/lib/payments/checkout";
import { listOnlinePaymentsAfter } from "@/lib/payments/queries";
import { apiRoute } from "@/app/_server/api";
import { currentGateway } from "@/app/_server/payments";

/** A reseller token lists its own payments; an admin token every reseller's. */
export const GET = apiRoute(endpoints.listOnlinePayments, async ({ principal, query }) => {
  const { limit, starting_after, ...filters } = query;
  const scope = principal.token.kind === "reseller" ? principal.resellerId! : undefined;
  const page = await listOnlinePaymentsAfter(getDb(), filters, { limit, startingAfter: starting_after }, scope);
  return listJson(
    page.rows.map((p) => ({
      id: p.id,
      resellerId: p.resellerId,
      resellerName: p.resellerName,
      status: p.status,
      amount: amount(p.amount, p.currency),
      currency: p.currency,
      gatewayMode: p.gatewayMode,
      checkoutSessionId: p.checkoutSessionId,
      ledgerEntryId: p.ledgerEntryId,
      reason: p.reason,
      createdAt: iso(p.createdAt),
      settledAt: isoOrNull(p.settledAt),
    })),
    page.hasMore,
    page.nextCursor,
  );
});

export const POST = apiRoute(endpoints.startOnlinePayment, async ({ principal, resellerId, body, commandKey }) => {
  const started = await startOnlinePayment(getDb(), principal.actor, currentGateway(), { resellerId, amount: body.amount, idempotencyKey: commandKey, email: principal.user.email });
  return { onlinePaymentId: started.onlinePaymentId, checkoutUrl: started.checkoutUrl };
});
