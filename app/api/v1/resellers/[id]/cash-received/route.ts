import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { postingJson } from "@/lib/api/present";
import { postingSummary, recordCashReceived } from "@/lib/billing";
import { getResellerPosition } from "@/lib/resellers";
import { apiRoute } from "@/app/_server/api";

export const POST = apiRoute(endpoints.cashReceived, async ({ principal, params, body, commandKey }) => {
  const db = getDb();
  const { id, currency } = await getResellerPosition(db, params.id!);
  return postingJson(id, postingSummary(await recordCashReceived(db, principal.actor, { ...body, resellerId: id, idempotencyKey: commandKey })), currency);
});
