import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { amount, iso, listJson } from "@/lib/api/present";
import { listResellersAfter } from "@/lib/resellers";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.listResellers, async ({ query }) => {
  const { limit, starting_after, ...filters } = query;
  const page = await listResellersAfter(getDb(), filters, { limit, startingAfter: starting_after });
  return listJson(
    page.rows.map((r) => ({
      id: r.id,
      name: r.name,
      type: r.type,
      status: r.status,
      balance: amount(r.balance, r.currency),
      outstanding: amount(r.outstanding, r.currency),
      collectionLimit: amount(r.collectionLimit, r.currency),
      currency: r.currency,
      customers: r.customers,
      createdAt: iso(r.createdAt),
    })),
    page.hasMore,
    page.nextCursor,
  );
});
