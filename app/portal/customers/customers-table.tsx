"use client";

import Link from "next/link";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import { customerExpiryLabels, type CustomerListRow } from "@/lib/portal/customers";

const helper = columnHelper<CustomerListRow>();
const columns = [
  helper.accessor("username", { header: "Username", cell: (c) => <Link className="font-mono text-xs font-medium text-brand-700 hover:underline" href={`/portal/customers/${c.row.original.id}`}>{c.getValue()}</Link> }),
  helper.accessor("name", { header: "Name", cell: (c) => <Link className="hover:underline" href={`/portal/customers/${c.row.original.id}`}>{c.getValue()}</Link> }),
  helper.accessor("phone", { header: "Phone", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
  helper.accessor("areaName", { header: "Area", enableSorting: false }),
  helper.accessor("status", { header: "Status", enableSorting: false, cell: (c) => (c.getValue() === "active" ? "Active" : <span className="text-red-700">Suspended</span>) }),
  helper.accessor("expiresAt", {
    header: "Expires",
    cell: (c) => (
      <span>
        <DateText value={c.getValue()} />{" "}
        <span className={c.row.original.expiry === "expiring" ? "text-xs font-medium text-amber-700" : "text-xs text-slate-500"}>{customerExpiryLabels[c.row.original.expiry]}</span>
      </span>
    ),
  }),
  helper.accessor("createdAt", { header: "Created", cell: (c) => <DateText value={c.getValue()} /> }),
];

export function CustomersTable({ rows, sort }: { rows: CustomerListRow[]; sort: string }) {
  return <DataTable columns={columns} rows={rows} sort={sort} rowKey={(r) => r.id} caption="Customers" empty="No customers match." />;
}
