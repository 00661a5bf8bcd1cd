import type { LedgerKind, PaymentMethod } from "@/db/schema";

/**
 * The words the screens use for the books' enums, browser-safe (no database,
 * no zod): client components import these, never a query module. The enums
 * themselves come from db/schema.
 */
export const paymentMethodLabels: Record<PaymentMethod, string> = {
  cash: "Cash",
  bank_transfer: "Bank transfer",
  mobile_money: "Mobile money",
  card: "Card",
  other: "Other",
};

export const ledgerKindLabels: Record<LedgerKind, string> = {
  balance_added: "Balance added",
  cash_received: "Cash received",
  online_payment: "Online payment",
  activation: "Activation",
  renewal: "Renewal",
  reversal: "Reversal",
};

/** Receipt numbers as printed: zero-padded, e.g. "R-000042". */
export function formatReceiptNumber(receiptNumber: number): string {
  return `R-${String(receiptNumber).padStart(6, "0")}`;
}
