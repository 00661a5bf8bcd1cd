import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { chargeJson } from "@/lib/api/present";
import { activateSubscription, chargeSummary } from "@/lib/billing";
import { apiRoute } from "@/app/_server/api";

export const POST = apiRoute(endpoints.activate, async ({ principal, resellerId, params, body, commandKey }) =>
  chargeJson(chargeSummary(await activateSubscription(getDb(), principal.actor, { resellerId, customerId: params.id!, packageId: body.packageId, idempotencyKey: commandKey }))),
);
