import { customerPayments, customers, ledgerEntries } from "@/db/schema";

// Column sets that several lists select, so a customer, a payment or an entry reads the same everywhere.

/** A customer as lists show it. */
export const customerSummaryColumns = {
  id: customers.id,
  username: customers.username,
  name: customers.name,
  phone: customers.phone,
  status: customers.status,
  expiresAt: customers.expiresAt,
};

/** A payment a reseller collected from a customer. */
export const customerPaymentColumns = {
  id: customerPayments.id,
  receiptNumber: customerPayments.receiptNumber,
  amount: customerPayments.amount,
  method: customerPayments.method,
  reference: customerPayments.reference,
  note: customerPayments.note,
  createdAt: customerPayments.createdAt,
};

/** A ledger entry as activity lists show it. */
export const entrySummaryColumns = {
  id: ledgerEntries.id,
  createdAt: ledgerEntries.createdAt,
  kind: ledgerEntries.kind,
  amount: ledgerEntries.amount,
  note: ledgerEntries.note,
};
