"use client";

import { ActionForm, MoneyField } from "@/components/forms/action-form";
import { paymentSettingsAction } from "./actions";

export function PaymentSettingsForm({ onlineEnabled, minAmount, maxAmount, currency }: { onlineEnabled: boolean; minAmount: string; maxAmount: string; currency: string }) {
  return (
    // Saving settings is a plain overwrite; the key only brings back the form ("Edit again").
    <ActionForm action={paymentSettingsAction} submitLabel="Save settings" success={() => <p>Settings saved.</p>} resetLabel="Edit again" idempotencyKey="settings">
      <label className="flex items-center gap-2 text-sm font-medium text-slate-700">
        <input type="checkbox" name="onlineEnabled" defaultChecked={onlineEnabled} className="h-4 w-4" />
        Resellers may pay online
      </label>
      <div className="grid gap-4 sm:grid-cols-2">
        <MoneyField name="minAmount" label="Minimum per payment" currency={currency} defaultValue={minAmount} />
        <MoneyField name="maxAmount" label="Maximum per payment" currency={currency} defaultValue={maxAmount} />
      </div>
    </ActionForm>
  );
}
