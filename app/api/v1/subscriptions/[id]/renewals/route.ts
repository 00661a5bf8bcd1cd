import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { chargeJson } from "@/lib/api/present";
import { chargeSummary, renewSubscription } from "@/lib/billing";
import { apiRoute } from "@/app/_server/api";

export const POST = apiRoute(endpoints.renew, async ({ principal, resellerId, params, body, commandKey }) =>
  chargeJson(chargeSummary(await renewSubscription(getDb(), principal.actor, { resellerId, subscriptionId: params.id!, packageId: body.packageId, idempotencyKey: commandKey }))),
);
