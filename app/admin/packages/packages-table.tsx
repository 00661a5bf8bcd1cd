"use client";

import Link from "next/link";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { formatMoney } from "@/lib/money";
import type { PackageRow } from "@/lib/packages";

export function PackagesTable({ rows, currency }: { rows: PackageRow[]; currency: string }) {
  const helper = columnHelper<PackageRow>();
  const columns = [
    helper.accessor("name", { header: "Name", cell: (c) => <Link className="font-medium text-brand-700 hover:underline" href={`/admin/packages/${c.row.original.id}`}>{c.getValue()}</Link> }),
    helper.accessor("customerPrice", { header: "Customer price", meta: { align: "right" }, cell: (c) => formatMoney(c.getValue(), currency) }),
    helper.accessor("validityDays", { header: "Validity", meta: { align: "right" }, cell: (c) => `${c.getValue()} days` }),
    helper.accessor("downloadMbps", { header: "Speed", cell: (c) => `${c.getValue()} / ${c.row.original.uploadMbps} Mbps` }),
    helper.accessor("resellers", { header: "Resellers", enableSorting: false, meta: { align: "right" } }),
    helper.accessor("active", { header: "Status", enableSorting: false, cell: (c) => (c.getValue() ? <span className="text-emerald-700">Active</span> : <span className="text-slate-500">Inactive</span>) }),
  ];
  return <DataTable columns={columns} rows={rows} list="packages" rowKey={(r) => r.id} caption="Packages" empty="No packages match." />;
}
