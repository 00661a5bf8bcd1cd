import type { Metadata } from "next";
import type { ReactNode } from "react";
import { DateText } from "@/components/ui/date-text";
import { getDb } from "@/db/client";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import { getReceipt } from "@/lib/portal/payments";
import { formatReceiptNumber } from "@/lib/vocabulary";
import { orNotFound } from "@/app/_server/not-found";
import { requireReseller } from "@/app/_server/session";
import { PrintButton, ShareButton } from "./print-button";

export const metadata: Metadata = { title: "Receipt" };

export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireReseller("payments.collect");
  const receipt = await orNotFound(getReceipt(getDb(), user.resellerId, (await params).id));
  const rows: [string, ReactNode][] = [
    ["Customer", `${receipt.customer.name} (${receipt.customer.username})`],
    ["Area", receipt.customer.areaName],
    ["Method", paymentMethodLabels[receipt.method]],
    ...(receipt.reference ? [["Reference", receipt.reference] as [string, ReactNode]] : []),
    ["Date", <DateText value={receipt.createdAt} format="longDateTime" />],
    ["Received by", receipt.collectedBy ?? receipt.reseller.name],
  ];
  return (
    <div className="mx-auto max-w-md">
      <article className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm sm:p-8 print:border-0 print:shadow-none" aria-label="Receipt">
        <header className="border-b border-dashed border-slate-300 pb-4 text-center">
          <h1 className="text-lg font-bold">{receipt.reseller.name}</h1>
          <p className="text-xs text-slate-500">{[receipt.reseller.phone, receipt.reseller.email].filter(Boolean).join(" · ")}</p>
          <p className="mt-3 text-sm font-semibold tracking-wide uppercase">Payment receipt</p>
          <p className="font-mono text-sm" data-testid="receipt-number">{formatReceiptNumber(receipt.receiptNumber)}</p>
        </header>
        <dl className="my-4 space-y-2 text-sm">
          {rows.map(([label, value]) => (
            <div key={label} className="flex justify-between gap-4">
              <dt className="text-slate-500">{label}</dt>
              <dd className="text-right">{value}</dd>
            </div>
          ))}
        </dl>
        <div className="flex items-baseline justify-between border-t border-dashed border-slate-300 pt-4">
          <span className="font-semibold">Amount paid</span>
          <span className="text-2xl font-bold tabular-nums" data-testid="receipt-amount">{formatMoney(receipt.amount, receipt.reseller.currency)}</span>
        </div>
        {receipt.note && <p className="mt-4 text-xs text-slate-500">{receipt.note}</p>}
      </article>
      <div className="mt-4 flex flex-wrap items-start justify-center gap-3"><PrintButton /><ShareButton title={`Receipt ${formatReceiptNumber(receipt.receiptNumber)}`} /></div>
    </div>
  );
}
