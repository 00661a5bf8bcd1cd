"use client";

import Link from "next/link";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import type { SettlementRow } from "@/lib/settlements";

const kindLabels = { balance_added: "Add Balance", cash_received: "Cash received", online_payment: "Online payment" } as Record<string, string>;
const helper = columnHelper<SettlementRow>();
// Reseller and amount first: on a phone they show before the row scrolls sideways.
const columns = [
  helper.accessor("resellerName", {
    id: "reseller",
    header: "Reseller",
    cell: (c) => (
      <Link className="font-medium text-brand-700 hover:underline" href={`/admin/resellers/${c.row.original.resellerId}`}>
        {c.getValue()}
      </Link>
    ),
  }),
  helper.accessor("amount", { id: "amount", header: "Amount", meta: { align: "right" }, cell: (c) => formatMoney(c.getValue(), c.row.original.currency) }),
  helper.accessor("createdAt", { id: "createdAt", header: "Posted", cell: (c) => <DateText value={c.getValue()} format="dateTime" /> }),
  helper.accessor("kind", { header: "Kind", enableSorting: false, cell: (c) => kindLabels[c.getValue()] ?? c.getValue() }),
  helper.accessor("method", { header: "Method", enableSorting: false, cell: (c) => (c.getValue() ? paymentMethodLabels[c.getValue()!] : "—") }),
  helper.accessor("reference", { header: "Reference", enableSorting: false, cell: (c) => <span className="block max-w-40 truncate" title={c.getValue() ?? undefined}>{c.getValue() ?? "—"}</span> }),
  helper.accessor("receivedOn", { header: "Received on", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
  helper.accessor("actor", { header: "Recorded by", enableSorting: false }),
];

export function PaymentsTable({ rows }: { rows: SettlementRow[] }) {
  return <DataTable columns={columns} rows={rows} list="settlements" rowKey={(r) => String(r.id)} caption="Payments received" empty="No payments match these filters." />;
}
