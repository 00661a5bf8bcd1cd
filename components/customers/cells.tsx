"use client";

import { DateText } from "@/components/ui/date-text";
import { customerExpiryLabels, type CustomerExpiryFilter } from "@/lib/portal/expiry";

/** "Active", or "Suspended" in red. */
export function CustomerStatus({ status }: { status: "active" | "suspended" }) {
  return status === "active" ? <>Active</> : <span className="text-red-700">Suspended</span>;
}

/** The service end date with its state ("Expiring in 7 days" stands out). */
export function CustomerExpiry({ expiresAt, expiry }: { expiresAt: Date | null; expiry: CustomerExpiryFilter }) {
  return (
    <span>
      <DateText value={expiresAt} />{" "}
      <span className={expiry === "expiring" ? "text-xs font-medium text-amber-700" : "text-xs text-slate-500"}>{customerExpiryLabels[expiry]}</span>
    </span>
  );
}
