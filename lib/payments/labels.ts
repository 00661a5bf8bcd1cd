/** Browser-safe words for online payments (no database, no zod). */
export const onlinePaymentStatuses = ["pending", "paid", "failed", "expired", "canceled", "flagged"] as const;
export type OnlinePaymentStatusName = (typeof onlinePaymentStatuses)[number];

export const onlinePaymentStatusLabels: Record<OnlinePaymentStatusName, string> = {
  pending: "Pending",
  paid: "Paid",
  failed: "Failed",
  expired: "Expired",
  canceled: "Canceled",
  flagged: "Flagged",
};

/** Tailwind classes for a status badge. */
export const onlinePaymentStatusTone: Record<OnlinePaymentStatusName, string> = {
  pending: "bg-amber-50 text-amber-800 ring-amber-200",
  paid: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
  expired: "bg-slate-100 text-slate-700 ring-slate-200",
  canceled: "bg-slate-100 text-slate-700 ring-slate-200",
  flagged: "bg-red-100 text-red-900 ring-red-300",
};
