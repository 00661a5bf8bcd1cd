import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { amount, iso, positionJson } from "@/lib/api/present";
import { activationQuote, type QuoteOption } from "@/lib/portal/quote";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.quote, async ({ resellerId, query }) => {
  const quote = await activationQuote(getDb(), resellerId, query.customer, query.package);
  const currency = quote.position.currency;
  const option = (o: QuoteOption) => ({
    packageId: o.packageId,
    name: o.name,
    validityDays: o.validityDays,
    rate: amount(o.rate, currency),
    customerPrice: amount(o.customerPrice, currency),
    startsAt: iso(o.startsAt),
    expiresAt: iso(o.expiresAt),
    balanceAfter: amount(o.balanceAfter, currency),
    outstandingAfter: amount(o.outstandingAfter, currency),
    allowed: o.allowed,
    refusal: o.refusal ? { code: o.refusal.code, detail: o.refusal.message } : null,
  });
  return {
    customerId: quote.customer.id,
    kind: quote.kind,
    renewsSubscriptionId: quote.renewsSubscriptionId,
    position: positionJson(quote.position),
    options: quote.options.map(option),
    selected: quote.selected ? option(quote.selected) : null,
  };
});
