"use client";

import Link from "next/link";
import { CustomerExpiry, CustomerStatus } from "@/components/customers/cells";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import type { CustomerListRow } from "@/lib/portal/customers";

const helper = columnHelper<CustomerListRow>();
const columns = [
  helper.accessor("username", { header: "Username", cell: (c) => <Link className="font-mono text-xs font-medium text-brand-700 hover:underline" href={`/portal/customers/${c.row.original.id}`}>{c.getValue()}</Link> }),
  helper.accessor("name", { header: "Name", cell: (c) => <Link className="hover:underline" href={`/portal/customers/${c.row.original.id}`}>{c.getValue()}</Link> }),
  helper.accessor("phone", { header: "Phone", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
  helper.accessor("areaName", { header: "Area", enableSorting: false }),
  helper.accessor("status", { header: "Status", enableSorting: false, cell: (c) => <CustomerStatus status={c.getValue()} /> }),
  helper.accessor("expiresAt", { header: "Expires", cell: (c) => <CustomerExpiry expiresAt={c.getValue()} expiry={c.row.original.expiry} /> }),
  helper.accessor("createdAt", { header: "Created", cell: (c) => <DateText value={c.getValue()} /> }),
];

export function CustomersTable({ rows }: { rows: CustomerListRow[] }) {
  return <DataTable columns={columns} rows={rows} list="customers" rowKey={(r) => r.id} caption="Customers" empty="No customers match." />;
}
