import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { amount, isoOrNull } from "@/lib/api/present";
import { installCurrency } from "@/lib/config";
import { accountsReceivable } from "@/lib/receivables";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.receivables, async () => {
  const { rows, totals } = await accountsReceivable(getDb());
  const currency = installCurrency();
  return {
    data: rows.map((r) => ({
      resellerId: r.resellerId,
      name: r.name,
      type: r.type,
      status: r.status,
      outstanding: amount(r.outstanding, r.currency),
      collectionLimit: amount(r.collectionLimit, r.currency),
      percentUsed: r.percentUsed,
      lastPaymentAt: isoOrNull(r.lastPaymentAt),
      currency: r.currency,
      days0to30: amount(r.days0to30, r.currency),
      days31to60: amount(r.days31to60, r.currency),
      days61to90: amount(r.days61to90, r.currency),
      days90plus: amount(r.days90plus, r.currency),
    })),
    totals: {
      outstanding: amount(totals.outstanding, currency),
      days0to30: amount(totals.days0to30, currency),
      days31to60: amount(totals.days31to60, currency),
      days61to90: amount(totals.days61to90, currency),
      days90plus: amount(totals.days90plus, currency),
    },
  };
});
