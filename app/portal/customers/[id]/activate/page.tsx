import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { activationQuote } from "@/lib/portal/customers";
import { orNotFound } from "../../../../_server/not-found";
import { ChargeForm } from "../../charge-form";
import { loadCustomer } from "../load";

export const metadata: Metadata = { title: "Activate a package" };

export default async function ChargePage({ params }: { params: Promise<{ id: string }> }) {
  const { user, customer } = await loadCustomer(params, "subscriptions.activate");
  const quote = await orNotFound(activationQuote(getDb(), user.resellerId, customer.id));
  return (
    <div className="max-w-4xl">
      <PageHeader title={`Activate · ${customer.name}`} description="Choose a package, check what it costs you and what follows, then confirm." />
      <Card>
        <CardContent className="pt-5">
          <ChargeForm
            quote={quote}
            mode="activation"
            idempotencyKey={randomUUID()}
            closed={quote.kind === "renewal" ? <p className="text-sm text-slate-600">This customer&apos;s service is running. Renew it instead.</p> : undefined}
          />
        </CardContent>
      </Card>
    </div>
  );
}
