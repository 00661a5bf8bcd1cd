"use client";

import Link from "next/link";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import type { CollectionRow } from "@/lib/portal/payments";
import { formatReceiptNumber } from "@/lib/vocabulary";

export function CollectionsTable({ rows, currency }: { rows: CollectionRow[]; currency: string }) {
  const helper = columnHelper<CollectionRow>();
  const columns = [
    helper.accessor("customerName", { header: "Customer", enableSorting: false, cell: (c) => <Link className="hover:underline" href={`/portal/customers/${c.row.original.customerId}`}>{c.getValue()} <span className="text-xs text-slate-500">{c.row.original.customerUsername}</span></Link> }),
    helper.accessor("amount", { header: "Amount", meta: { align: "right" }, cell: (c) => formatMoney(c.getValue(), currency) }),
    helper.accessor("receiptNumber", { header: "Receipt", enableSorting: false, cell: (c) => <Link className="font-mono text-xs text-brand-700 hover:underline" href={`/portal/receipts/${c.row.original.id}`}>{formatReceiptNumber(c.getValue())}</Link> }),
    helper.accessor("createdAt", { header: "Date", cell: (c) => <DateText value={c.getValue()} format="dateTime" /> }),
    helper.accessor("method", { header: "Method", enableSorting: false, cell: (c) => paymentMethodLabels[c.getValue()] }),
    helper.accessor("reference", { header: "Reference", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
    helper.accessor("collectedBy", { header: "Collected by", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
  ];
  // Customer and amount first: on a phone they are what shows before the row scrolls.
  return <DataTable columns={columns} rows={rows} list="collections" rowKey={(r) => r.id} caption="Collections" empty="No payments collected for these filters." />;
}
