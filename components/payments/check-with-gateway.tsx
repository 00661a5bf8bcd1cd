"use client";

import { useActionState } from "react";
import type { Result } from "@/lib/errors";
import { Button } from "@/components/ui/button";
import type { CheckOutcome } from "./online-payments-table";

/** "Check with gateway" on one pending payment (or all, without `paymentId`); shows what changed. */
export function CheckWithGatewayButton({
  action,
  paymentId,
  label = "Check with gateway",
}: {
  action: (previous: Result<CheckOutcome> | null, formData: FormData) => Promise<Result<CheckOutcome>>;
  paymentId?: string;
  label?: string;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      {paymentId && <input type="hidden" name="paymentId" value={paymentId} />}
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        {pending ? "Checking…" : label}
      </Button>
      <span role="status" className="max-w-56 text-xs text-slate-600">
        {state && (state.ok ? (state.data.changes.map((c) => c.outcome).join("; ") || `Checked ${state.data.checked}: no change.`) : state.error.message)}
      </span>
    </form>
  );
}
