import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { customerJson } from "@/lib/api/present";
import { getCustomer, setCustomerStatus } from "@/lib/portal/customer-commands";
import { apiRoute } from "@/app/_server/api";

export const POST = apiRoute(endpoints.reactivateCustomer, async ({ principal, resellerId, params, body }) => {
  const db = getDb();
  await setCustomerStatus(db, principal.actor, { customerId: params.id!, status: "active", reason: body.reason, resellerId });
  return customerJson((await getCustomer(db, resellerId, params.id!)).customer);
});
