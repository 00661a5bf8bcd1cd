"use client";

import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ActionForm } from "@/components/forms/action-form";
import { cn } from "@/components/ui/cn";
import { DateText } from "@/components/ui/date-text";
import { formatMoney } from "@/lib/money";
import type { ActivationQuote } from "@/lib/portal/quote";
import { activateAction, renewAction } from "./billing-actions";


/**
 * Choose a package in scope, see what it costs and what follows (new expiry,
 * balance or outstanding after), confirm. The server checks it all again.
 */
export function ChargeForm({
  quote,
  mode,
  idempotencyKey,
  closed,
}: {
  quote: ActivationQuote;
  mode: "activation" | "renewal";
  idempotencyKey: string;
  /** Why there is nothing to charge; the success of a charge just made still shows first. */
  closed?: ReactNode;
}) {
  const { position } = quote;
  const money = (v: bigint) => formatMoney(v, position.currency);
  const [selected, setSelected] = useState(quote.selected?.packageId ?? quote.options.find((o) => o.allowed)?.packageId ?? quote.options[0]?.packageId);
  const renewal = mode === "renewal";
  const choice = quote.options.find((o) => o.packageId === selected);
  return (
    <ActionForm
      action={renewal ? renewAction : activateAction}
      submitLabel={renewal ? "Confirm renewal" : "Confirm activation"}
      pendingLabel="Charging…"
      idempotencyKey={idempotencyKey}
      allowAnother={false}
      closed={closed}
      success={(r) => (
        <div data-testid="charge-success">
          <p className="font-medium">
            {r.replayed ? "Already done — " : ""}
            {quote.customer.username} is paid up until <strong data-testid="new-expiry"><DateText value={r.expiresAt} /></strong>.
          </p>
          <p className="mt-1">
            Charged {money(r.priceCharged)}. {position.type === "prepaid" ? "Balance" : "Outstanding"}:{" "}
            {position.type === "prepaid" ? `${money(r.balanceBefore)} → ${money(r.balanceAfter)}` : `${money(r.outstandingBefore)} → ${money(r.outstandingAfter)}`}
          </p>
          <Link className="mt-2 inline-block underline" href={`/portal/customers/${quote.customer.id}`}>Back to the customer</Link>
        </div>
      )}
    >
      <input type="hidden" name="customerId" value={quote.customer.id} />
      {renewal && quote.renewsSubscriptionId && <input type="hidden" name="subscriptionId" value={quote.renewsSubscriptionId} />}
      <fieldset>
        <legend className="mb-2 text-sm font-semibold">Package</legend>
        {quote.options.length === 0 && <p className="text-sm text-slate-500">No packages are in your scope. Ask your admin.</p>}
        <div className="space-y-2">
          {quote.options.map((o) => (
            <label
              key={o.packageId}
              className={cn(
                "flex cursor-pointer items-start gap-3 rounded-md border p-3 text-sm",
                selected === o.packageId ? "border-brand-500 bg-brand-50" : "border-slate-200 bg-white",
              )}
            >
              <input type="radio" name="packageId" value={o.packageId} checked={selected === o.packageId} onChange={() => setSelected(o.packageId)} className="mt-1" />
              <span className="grid flex-1 gap-1 sm:grid-cols-4">
                <span className="font-medium">
                  {o.name}
                  <span className="block text-xs font-normal text-slate-600">{o.downloadMbps}/{o.uploadMbps} Mbps · {o.validityDays} days</span>
                </span>
                <span>Your rate <strong className="tabular-nums">{money(o.rate)}</strong></span>
                <span className="text-slate-600">Customer price {money(o.customerPrice)}</span>
                <span className="text-slate-600">Until <DateText value={o.expiresAt} /></span>
                {!o.allowed && o.refusal && <span className="text-red-700 sm:col-span-4" data-testid="refusal">{o.refusal.message}</span>}
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      {choice && (
        <dl className="grid grid-cols-2 gap-3 rounded-md bg-slate-50 p-3 text-sm sm:grid-cols-4">
          <div><dt className="text-slate-500">Starts</dt><dd><DateText value={choice.startsAt} /></dd></div>
          <div><dt className="text-slate-500">New expiry</dt><dd className="font-medium"><DateText value={choice.expiresAt} /></dd></div>
          <div>
            <dt className="text-slate-500">{position.type === "prepaid" ? "Balance after" : "Outstanding after"}</dt>
            <dd className="font-medium tabular-nums">{position.type === "prepaid" ? money(choice.balanceAfter) : `${money(choice.outstandingAfter)} of ${money(position.collectionLimit)}`}</dd>
          </div>
          <div><dt className="text-slate-500">Now</dt><dd className="tabular-nums">{position.type === "prepaid" ? money(position.balance) : money(position.outstanding)}</dd></div>
        </dl>
      )}
    </ActionForm>
  );
}
