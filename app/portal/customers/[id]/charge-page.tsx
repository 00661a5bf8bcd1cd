import { randomUUID } from "node:crypto";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { activationQuote } from "@/lib/portal/quote";
import { orNotFound } from "@/app/_server/not-found";
import { ChargeForm } from "@/app/portal/customers/charge-form";
import { loadCustomer } from "./load";

/** The activate and renew pages: the customer's quote and the charge form, or why there is nothing to charge. */
export async function ChargePage({ params, mode }: { params: Promise<{ id: string }>; mode: "activation" | "renewal" }) {
  const renewal = mode === "renewal";
  const { user, customer } = await loadCustomer(params, renewal ? "subscriptions.renew" : "subscriptions.activate");
  const quote = await orNotFound(activationQuote(getDb(), user.resellerId, customer.id));
  const closed = renewal
    ? !quote.renewsSubscriptionId && "This customer has no subscription to renew yet. Activate a package first."
    : quote.kind === "renewal" && "This customer's service is running. Renew it instead.";
  return (
    <div className="max-w-4xl">
      <PageHeader title={`${renewal ? "Renew" : "Activate"} · ${customer.name}`} description="Choose a package, check what it costs you and what follows, then confirm." />
      <Card>
        <CardContent className="pt-5">
          <ChargeForm quote={quote} mode={mode} idempotencyKey={randomUUID()} closed={closed ? <p className="text-sm text-slate-600">{closed}</p> : undefined} />
        </CardContent>
      </Card>
    </div>
  );
}
