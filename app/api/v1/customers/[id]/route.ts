import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { customerJson, receiptJson, subscriptionJson } from "@/lib/api/present";
import { getCustomer, updateCustomer } from "@/lib/portal/customer-commands";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.getCustomer, async ({ resellerId, params }) => {
  const detail = await getCustomer(getDb(), resellerId, params.id!);
  return {
    ...customerJson(detail.customer),
    currentSubscription: detail.currentSubscription ? subscriptionJson(detail.currentSubscription) : null,
    subscriptions: detail.subscriptions.map(subscriptionJson),
    payments: detail.payments.map((p) => receiptJson({ ...p, customerId: detail.customer.id })),
  };
});

/** Only the fields sent change: the rest are taken from the customer as it is. */
export const PATCH = apiRoute(endpoints.updateCustomer, async ({ principal, resellerId, params, body }) => {
  const db = getDb();
  const { customer } = await getCustomer(db, resellerId, params.id!);
  const next = {
    username: body.username ?? customer.username,
    name: body.name ?? customer.name,
    phone: body.phone !== undefined ? body.phone : customer.phone,
    address: body.address !== undefined ? body.address : customer.address,
    areaId: body.areaId ?? customer.areaId,
  };
  await updateCustomer(db, principal.actor, { ...next, customerId: customer.id, resellerId });
  return customerJson((await getCustomer(db, resellerId, customer.id)).customer);
});
