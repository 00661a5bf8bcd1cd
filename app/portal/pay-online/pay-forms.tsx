"use client";

import { ActionForm, MoneyField } from "@/components/forms/action-form";
import { cancelOnlinePaymentAction, sandboxCheckoutAction, startOnlinePaymentAction } from "./actions";

/** Amount → the gateway's checkout (the action redirects there on success). */
export function PayOnlineForm({ idempotencyKey, amount, currency, hint }: { idempotencyKey: string; amount: string; currency: string; hint: string }) {
  return (
    <ActionForm action={startOnlinePaymentAction} submitLabel="Continue to payment" pendingLabel="Opening checkout…" idempotencyKey={idempotencyKey}>
      <MoneyField name="amount" label="Amount" currency={currency} defaultValue={amount} hint={hint} />
    </ActionForm>
  );
}

export function CancelPaymentForm({ paymentId }: { paymentId: string }) {
  return (
    <ActionForm action={cancelOnlinePaymentAction} submitLabel="Cancel this payment" pendingLabel="Canceling…" allowAnother={false}>
      <input type="hidden" name="paymentId" value={paymentId} />
    </ActionForm>
  );
}

/** The sandbox checkout's buttons; each sends the matching signed events to the webhook. */
export function SandboxCheckoutButtons({ paymentId }: { paymentId: string }) {
  const choices = [
    { choice: "pay", label: "Pay", hint: "The card is charged at once." },
    { choice: "pay_async", label: "Pay (delayed)", hint: "A bank debit: completed first, paid a moment later." },
    { choice: "fail", label: "Fail", hint: "A delayed payment that fails." },
  ];
  return (
    <div className="space-y-3">
      {choices.map((c) => (
        <ActionForm key={c.choice} action={sandboxCheckoutAction} submitLabel={c.label} pendingLabel="Sending…" allowAnother={false} className="flex flex-wrap items-center gap-3">
          <input type="hidden" name="paymentId" value={paymentId} />
          <input type="hidden" name="choice" value={c.choice} />
          <span className="order-last text-xs text-slate-500">{c.hint}</span>
        </ActionForm>
      ))}
      <CancelPaymentForm paymentId={paymentId} />
    </div>
  );
}
