"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { userDisabledAction } from "@/app/admin/resellers/actions";

export function UserToggle({ userId, disabled }: { userId: string; disabled: boolean }) {
  const [state, action, pending] = useActionState(userDisabledAction, null);
  return (
    <form action={action} className="flex items-center gap-2">
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      {state && !state.ok && <span className="text-xs text-red-600">{state.error.message}</span>}
      <Button size="sm" variant="secondary" disabled={pending}>{disabled ? "Enable" : "Disable"}</Button>
    </form>
  );
}
