import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { receiptJson } from "@/lib/api/present";
import { collectCustomerPayment } from "@/lib/portal/payments";
import { apiRoute } from "@/app/_server/api";

export const POST = apiRoute(endpoints.collectPayment, async ({ principal, resellerId, params, body, commandKey }) => {
  const { payment } = await collectCustomerPayment(getDb(), principal.actor, { ...body, customerId: params.id!, resellerId, idempotencyKey: commandKey });
  return receiptJson(payment);
});
