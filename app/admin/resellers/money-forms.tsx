"use client";

import { ActionForm, MoneyField, SelectField, TextAreaField, TextField } from "@/components/forms/action-form";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { formatMoney, toDecimalString } from "@/lib/money";
import type { ResellerPosition } from "@/lib/resellers";
import Link from "next/link";
import type { PostingSummary as MoneySummary } from "@/lib/billing";
import { addBalanceAction, cashReceivedAction, collectionLimitAction, resellerTypeAction, reverseEntryAction } from "./money-actions";

const methods = Object.entries(paymentMethodLabels)
  .filter(([value]) => value !== "card")
  .map(([value, label]) => ({ value, label }));

function BeforeAfter({ reseller, result }: { reseller: Pick<ResellerPosition, "name" | "currency">; result: MoneySummary }) {
  const money = (v: bigint) => formatMoney(v, reseller.currency);
  return (
    <div>
      <p className="font-medium">{result.replayed ? "Already recorded — this is the earlier posting." : `Posted to ${reseller.name}.`}</p>
      <dl className="mt-2 grid grid-cols-[auto_auto_auto] gap-x-6 gap-y-1">
        <dt />
        <dd className="text-xs text-emerald-700 uppercase">Before</dd>
        <dd className="text-xs text-emerald-700 uppercase">After</dd>
        <dt>Balance</dt>
        <dd>{money(result.balanceBefore)}</dd>
        <dd data-testid="balance-after">{money(result.balanceAfter)}</dd>
        <dt>Outstanding</dt>
        <dd>{money(result.outstandingBefore)}</dd>
        <dd data-testid="outstanding-after">{money(result.outstandingAfter)}</dd>
      </dl>
    </div>
  );
}

export function AddBalanceForm({ reseller, idempotencyKey }: { reseller: ResellerPosition; idempotencyKey: string }) {
  return (
    <ActionForm action={addBalanceAction} submitLabel="Add Balance" pendingLabel="Posting…" idempotencyKey={idempotencyKey} success={(r) => <BeforeAfter reseller={reseller} result={r} />}>
      <input type="hidden" name="resellerId" value={reseller.id} />
      <MoneyField name="amount" label="Amount" currency={reseller.currency} required />
      <SelectField name="method" label="Method" options={methods} defaultValue="cash" />
      <TextField name="reference" label="Reference" hint="Receipt, transfer or transaction number (optional)" />
      <TextAreaField name="note" label="Note" />
    </ActionForm>
  );
}

export function CashReceivedForm({
  reseller,
  idempotencyKey,
  source,
  today,
}: {
  reseller: ResellerPosition;
  idempotencyKey: string;
  source: "reseller_action" | "accounts_receivable";
  today: string;
}) {
  return (
    <ActionForm action={cashReceivedAction} submitLabel="Record cash received" pendingLabel="Posting…" idempotencyKey={idempotencyKey} success={(r) => <BeforeAfter reseller={reseller} result={r} />}>
      <input type="hidden" name="resellerId" value={reseller.id} />
      <input type="hidden" name="source" value={source} />
      <MoneyField name="amount" label="Amount received" currency={reseller.currency} required />
      <SelectField name="method" label="Method" options={methods} defaultValue="cash" />
      <TextField name="reference" label="Reference" hint="Receipt, transfer or transaction number (optional)" />
      <TextField name="receivedOn" label="Date received" type="date" defaultValue={today} max={today} />
      <TextAreaField name="note" label="Note" />
    </ActionForm>
  );
}

export function ReverseEntryForm({
  entryId,
  currency,
  resellerName,
  idempotencyKey,
  statementHref,
  reversedBy,
}: {
  reversedBy: number | null;
  entryId: number;
  currency: string;
  resellerName: string;
  idempotencyKey: string;
  statementHref: string;
}) {
  return (
    <ActionForm
      action={reverseEntryAction}
      submitLabel="Reverse entry"
      allowAnother={false}
      pendingLabel="Reversing…"
      idempotencyKey={idempotencyKey}
      success={(r) => (
        <div>
          <BeforeAfter reseller={{ name: resellerName, currency }} result={r} />
          <Link href={statementHref} className="mt-2 inline-block text-brand-700 underline">
            Back to the statement
          </Link>
        </div>
      )}
    >
      <input type="hidden" name="entryId" value={entryId} />
      <TextAreaField name="reason" label="Reason" required hint="Shown on the statement next to the reversal." />
    </ActionForm>
  );
}

export function CollectionLimitForm({ reseller, idempotencyKey }: { reseller: ResellerPosition; idempotencyKey: string }) {
  return (
    <ActionForm
      action={collectionLimitAction}
      submitLabel="Save collection limit"
      idempotencyKey={idempotencyKey}
      resetLabel="Change again"
      success={(r) => (
        <p>
          Collection limit is now <strong data-testid="new-limit">{formatMoney(r.collectionLimit, reseller.currency)}</strong>.{" "}
          {r.blocked && r.type === "postpaid" ? "The outstanding is at or past it, so new activations and renewals are blocked until a payment comes in." : ""}
        </p>
      )}
    >
      <input type="hidden" name="resellerId" value={reseller.id} />
      <MoneyField
        name="collectionLimit"
        label="Collection limit"
        currency={reseller.currency}
        defaultValue={toDecimalString(reseller.collectionLimit, reseller.currency)}
        hint="The most a postpaid reseller may owe. Lowering it below today's outstanding blocks new charges; it never changes past entries."
      />
    </ActionForm>
  );
}

export function ResellerTypeForm({ reseller, idempotencyKey }: { reseller: ResellerPosition; idempotencyKey: string }) {
  const other = reseller.type === "prepaid" ? "postpaid" : "prepaid";
  return (
    <ActionForm
      action={resellerTypeAction}
      submitLabel={`Switch to ${other}`}
      idempotencyKey={idempotencyKey}
      allowAnother={false}
      success={(r) => <p>{reseller.name} is now {r.type}.</p>}
    >
      <input type="hidden" name="resellerId" value={reseller.id} />
      <input type="hidden" name="type" value={other} />
      <p className="text-sm text-slate-600">
        {reseller.name} is {reseller.type}.{" "}
        {other === "prepaid" ? "Switching to prepaid needs the outstanding settled first." : "As postpaid it can owe up to its collection limit."}
      </p>
    </ActionForm>
  );
}
