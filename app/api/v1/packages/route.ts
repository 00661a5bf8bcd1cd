import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { amount, listJson } from "@/lib/api/present";
import { installCurrency } from "@/lib/config";
import { packagesInScope } from "@/lib/packages";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.listPackages, async ({ resellerId }) => {
  const rows = await packagesInScope(getDb(), resellerId);
  const currency = installCurrency();
  return listJson(
    rows.map((p) => ({ ...p, rate: amount(p.rate, currency), customerPrice: amount(p.customerPrice, currency), currency })),
    false,
    null,
  );
});
