"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { formatMoney } from "@/lib/money";
import type { ResellerRow } from "@/lib/resellers";

/** `actions` holds each row's server-rendered Actions menu, keyed by reseller id. */
export function ResellersTable({ rows, actions }: { rows: ResellerRow[]; actions: Record<string, ReactNode> }) {
  const helper = columnHelper<ResellerRow>();
  const money = (v: bigint, row: ResellerRow) => formatMoney(v, row.currency);
  // Name, money and Actions first: on a phone they show before the row scrolls sideways.
  const columns = [
    helper.accessor("name", {
      header: "Name",
      cell: (c) => (
        <div>
          <Link className="font-medium text-brand-700 hover:underline" href={`/admin/resellers/${c.row.original.id}`}>{c.getValue()}</Link>
          {c.row.original.contactName && <div className="text-xs text-slate-500">{c.row.original.contactName}</div>}
        </div>
      ),
    }),
    helper.accessor("balance", { header: "Balance", meta: { align: "right" }, cell: (c) => <span data-testid="row-balance">{money(c.getValue(), c.row.original)}</span> }),
    helper.accessor("outstanding", { header: "Outstanding", meta: { align: "right" }, cell: (c) => <span data-testid="row-outstanding">{money(c.getValue(), c.row.original)}</span> }),
    helper.display({ id: "actions", header: () => <span className="sr-only">Actions</span>, cell: (c) => actions[c.row.original.id] }),
    helper.accessor("type", { header: "Type", enableSorting: false, cell: (c) => (c.getValue() === "prepaid" ? "Prepaid" : "Postpaid") }),
    helper.accessor("collectionLimit", { header: "Collection limit", meta: { align: "right" }, cell: (c) => (c.row.original.type === "postpaid" ? money(c.getValue(), c.row.original) : "—") }),
    helper.accessor("status", {
      header: "Status",
      enableSorting: false,
      cell: (c) => <span className={c.getValue() === "active" ? "text-emerald-700" : "font-medium text-red-700"}>{c.getValue() === "active" ? "Active" : "Suspended"}</span>,
    }),
    helper.accessor("customers", { header: "Customers", meta: { align: "right" } }),
  ];
  return <DataTable columns={columns} rows={rows} list="resellers" rowKey={(r) => r.id} caption="Resellers/Operators" empty="No resellers match." />;
}
