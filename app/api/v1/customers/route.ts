import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { customerJson, listJson } from "@/lib/api/present";
import { createCustomer, getCustomer } from "@/lib/portal/customer-commands";
import { listCustomersAfter } from "@/lib/portal/customers";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.listCustomers, async ({ resellerId, query }) => {
  const { limit, starting_after, ...filters } = query;
  const page = await listCustomersAfter(getDb(), resellerId, filters, { limit, startingAfter: starting_after });
  return listJson(page.rows.map(customerJson), page.hasMore, page.nextCursor);
});

export const POST = apiRoute(endpoints.createCustomer, async ({ principal, resellerId, body, commandKey }) => {
  const db = getDb();
  const created = await createCustomer(db, principal.actor, { ...body, resellerId, idempotencyKey: commandKey });
  return customerJson((await getCustomer(db, resellerId, created.id)).customer);
});
