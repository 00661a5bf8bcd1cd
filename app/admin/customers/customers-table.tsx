"use client";

import Link from "next/link";
import { CustomerExpiry, CustomerStatus } from "@/components/customers/cells";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import type { DirectoryRow } from "@/lib/customer-directory";

const helper = columnHelper<DirectoryRow>();
const columns = [
  helper.accessor("username", { header: "Username", cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span> }),
  helper.accessor("name", { header: "Name" }),
  helper.accessor("phone", { header: "Phone", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
  helper.accessor("resellerName", { id: "reseller", header: "Reseller", cell: (c) => <Link className="text-brand-700 hover:underline" href={`/admin/resellers/${c.row.original.resellerId}`}>{c.getValue()}</Link> }),
  helper.accessor("areaName", { header: "Area", enableSorting: false }),
  helper.accessor("status", { header: "Status", enableSorting: false, cell: (c) => <CustomerStatus status={c.getValue()} /> }),
  helper.accessor("expiresAt", { header: "Expires", cell: (c) => <CustomerExpiry expiresAt={c.getValue()} expiry={c.row.original.expiry} /> }),
  helper.accessor("createdAt", { header: "Created", cell: (c) => <DateText value={c.getValue()} /> }),
];

export function AllCustomersTable({ rows }: { rows: DirectoryRow[] }) {
  return <DataTable columns={columns} rows={rows} list="customerDirectory" rowKey={(r) => r.id} caption="Customers" empty="No customers match." />;
}
