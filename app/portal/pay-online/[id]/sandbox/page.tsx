import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { formatMoney } from "@/lib/money";
import { getOwnOnlinePayment } from "@/lib/payments/checkout";
import { gatewayConfig } from "@/lib/payments/gateway";
import { orNotFound } from "@/app/_server/not-found";
import { requireReseller } from "@/app/_server/session";
import { SandboxCheckoutButtons } from "@/app/portal/pay-online/pay-forms";

export const metadata: Metadata = { title: "Sandbox checkout" };

/** The built-in checkout of the sandbox gateway: exists only where the sandbox is on. */
export default async function SandboxCheckoutPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireReseller("payments.online");
  if (gatewayConfig().mode !== "sandbox") notFound();
  const payment = await orNotFound(getOwnOnlinePayment(getDb(), user.resellerId, (await params).id));
  if (payment.gatewayMode !== "sandbox") notFound();
  return (
    <div className="max-w-xl space-y-6">
      <div role="note" className="rounded-md border-2 border-amber-400 bg-amber-50 px-4 py-3 text-base font-semibold text-amber-900" data-testid="sandbox-banner">
        Sandbox — no real money
      </div>
      <PageHeader title="Sandbox checkout" description="Stands in for Stripe Checkout on this install. Each button sends the gateway's signed events to Lastmile's webhook, exactly as Stripe would." />
      <Card>
        <CardContent className="space-y-4 pt-5">
          <div className="text-sm text-slate-600">Pay the admin</div>
          <div className="text-3xl font-semibold tabular-nums">{formatMoney(payment.amount, payment.currency)}</div>
          {payment.status === "pending" ? (
            <SandboxCheckoutButtons paymentId={payment.id} />
          ) : (
            <p role="status" className="text-sm text-slate-700">This checkout is closed ({payment.status}).</p>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
