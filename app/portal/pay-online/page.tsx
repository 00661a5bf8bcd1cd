import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { OnlinePaymentsTable } from "@/components/payments/online-payments-table";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { currencyExponent, formatMoney, outstandingOf, toDecimalString } from "@/lib/money";
import { onlinePaymentAvailability } from "@/lib/payments/checkout";
import { gatewayConfig } from "@/lib/payments/gateway";
import { onlinePaymentStatusLabels } from "@/lib/payments/labels";
import { listOnlinePayments, onlinePaymentSearchSchema } from "@/lib/payments/queries";
import { requireReseller } from "@/app/_server/session";
import { PayOnlineForm } from "./pay-forms";

export const metadata: Metadata = { title: "Pay online" };

/** What to prefill: the outstanding for postpaid, a round top-up for prepaid, kept inside the admin's bounds. */
function suggestedAmount(type: "prepaid" | "postpaid", balance: bigint, bounds: { minAmount: bigint; maxAmount: bigint }, unit: bigint): bigint | null {
  const wanted = type === "postpaid" ? outstandingOf(balance) : 100n * unit;
  if (wanted <= 0n) return null;
  return wanted < bounds.minAmount ? bounds.minAmount : wanted > bounds.maxAmount ? bounds.maxAmount : wanted;
}

export default async function PayOnlinePage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireReseller("payments.online");
  const reseller = user.reseller!;
  const db = getDb();
  const search = onlinePaymentSearchSchema.parse(await searchParams);
  const [availability, page] = await Promise.all([onlinePaymentAvailability(db, gatewayConfig()), listOnlinePayments(db, search, user.resellerId)]);
  const money = (v: bigint) => formatMoney(v, reseller.currency);
  const unit = 10n ** BigInt(currencyExponent(reseller.currency));
  const suggested = suggestedAmount(reseller.type, reseller.balance, availability.settings, unit);
  const position =
    reseller.type === "postpaid"
      ? `You owe ${money(outstandingOf(reseller.balance))} of a ${money(reseller.collectionLimit)} collection limit. A payment reduces the outstanding.`
      : `Your prepaid balance is ${money(reseller.balance)}. A payment tops it up.`;
  return (
    <div className="space-y-6">
      <PageHeader title="Pay online" description="Pay the admin by card. Your balance changes once the payment gateway confirms the payment." />
      <Card className="max-w-xl">
        <CardContent className="space-y-4 pt-5">
          <p className="text-sm text-slate-700" data-testid="pay-online-position">{position}</p>
          {availability.available ? (
            <>
              {availability.mode === "sandbox" && (
                <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm font-medium text-amber-900">Sandbox — no real money. The checkout is Lastmile&apos;s own test page.</p>
              )}
              <PayOnlineForm
                idempotencyKey={randomUUID()}
                amount={suggested === null ? "" : toDecimalString(suggested, reseller.currency)}
                currency={reseller.currency}
                hint={`Between ${money(availability.settings.minAmount)} and ${money(availability.settings.maxAmount)}.`}
              />
            </>
          ) : (
            <p role="status" className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="online-payment-off">
              Online payment is not available: {availability.reason}
            </p>
          )}
        </CardContent>
      </Card>
      <section aria-labelledby="my-online-payments">
        <h2 id="my-online-payments" className="mb-3 text-lg font-semibold">Your online payments</h2>
        <TableToolbar list="onlinePayments" filters={[{ name: "status", label: "Status", options: Object.entries(onlinePaymentStatusLabels).map(([value, label]) => ({ value, label })) }]} />
        <OnlinePaymentsTable rows={page.rows} audience="portal" />
        <Pager list="onlinePayments" pageCount={page.pageCount} total={page.total} />
      </section>
    </div>
  );
}
