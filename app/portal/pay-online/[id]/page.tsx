import type { Metadata } from "next";
import Link from "next/link";
import { OnlinePaymentStatusBadge } from "@/components/payments/online-payments-table";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { formatMoney } from "@/lib/money";
import { getOwnOnlinePayment, refreshOnlinePayment } from "@/lib/payments/checkout";
import { orNotFound } from "@/app/_server/not-found";
import { currentGateway } from "@/app/_server/payments";
import { requireReseller } from "@/app/_server/session";
import { CancelPaymentForm } from "@/app/portal/pay-online/pay-forms";

export const metadata: Metadata = { title: "Online payment" };

const messages = {
  pending: "Waiting for the payment gateway to confirm this payment. Your balance changes as soon as it does.",
  paid: "Paid. The money has been credited to your account with the admin.",
  failed: "The payment failed. Nothing was credited.",
  expired: "The checkout expired without payment. Nothing was credited.",
  canceled: "Canceled. Nothing was credited.",
  flagged: "The admin is reviewing this payment.",
} as const;

/**
 * Where the gateway sends the payer back. It never trusts the URL: the status
 * comes from the database, and a pending payment is looked up at the gateway
 * and settled through the same command as the webhook.
 */
export default async function OnlinePaymentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ canceled?: string }> }) {
  const user = await requireReseller("payments.online");
  const db = getDb();
  let payment = await orNotFound(getOwnOnlinePayment(db, user.resellerId, (await params).id));
  if (payment.status === "pending") {
    try {
      const settled = await refreshOnlinePayment(db, currentGateway(), payment, "return page");
      if (settled?.to) payment = await getOwnOnlinePayment(db, user.resellerId, payment.id);
    } catch (error) {
      // The gateway not answering leaves the payment pending; the webhook or reconciliation settles it later.
      console.error(`return page: online payment ${payment.id} could not be checked with the gateway`, error);
    }
  }
  const leftCheckout = (await searchParams).canceled === "1" && payment.status === "pending";
  return (
    <div className="max-w-xl space-y-6">
      <PageHeader title="Online payment" description={`${formatMoney(payment.amount, payment.currency)} to the admin`} />
      <Card>
        <CardContent className="space-y-4 pt-5">
          <div className="flex items-center gap-3">
            <OnlinePaymentStatusBadge status={payment.status} />
            <span className="text-2xl font-semibold tabular-nums" data-testid="online-payment-amount">{formatMoney(payment.amount, payment.currency)}</span>
          </div>
          <p role="status" className="text-sm text-slate-700" data-testid="online-payment-message">
            {leftCheckout ? "You left the checkout before paying. You can go back to it, or cancel this payment." : messages[payment.status]}
          </p>
          <dl className="grid grid-cols-[8rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-500">Started</dt>
            <dd><DateText value={payment.createdAt} format="dateTime" /></dd>
            <dt className="text-slate-500">Settled</dt>
            <dd><DateText value={payment.settledAt} format="dateTime" /></dd>
            {payment.status === "failed" && payment.reason && (
              <>
                <dt className="text-slate-500">Reason</dt>
                <dd>{payment.reason}</dd>
              </>
            )}
          </dl>
          {payment.status === "pending" && (
            <div className="flex flex-wrap items-start gap-3 border-t border-slate-100 pt-4">
              {payment.checkoutUrl && (
                <a className={buttonVariants()} href={payment.checkoutUrl}>
                  Go to checkout
                </a>
              )}
              <CancelPaymentForm paymentId={payment.id} />
            </div>
          )}
          <p className="text-sm">
            <Link className="text-brand-700 hover:underline" href="/portal/pay-online">Back to Pay online</Link>
          </p>
        </CardContent>
      </Card>
    </div>
  );
}
