"use client";

import Link from "next/link";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { nasTypeLabels, type NasType } from "@/lib/radius/labels";
import type { RouterRow } from "@/lib/radius/routers";


const helper = columnHelper<RouterRow>();
const columns = [
  helper.accessor("name", { header: "Name", cell: (c) => <Link className="text-brand-700 hover:underline" href={`/admin/network/routers/${c.row.original.id}`}>{c.getValue()}</Link> }),
  helper.accessor("address", { header: "Address", cell: (c) => <span className="font-mono">{c.getValue()}</span> }),
  helper.accessor("type", { header: "Type", cell: (c) => nasTypeLabels[c.getValue() as NasType] ?? c.getValue() }),
  helper.accessor("coaPort", { header: "CoA port", meta: { align: "right" } }),
  helper.accessor("description", { header: "Description", enableSorting: false, cell: (c) => c.getValue() ?? "" }),
];

/** Network › Routers: the `routers` list (the URL holds page, sort and search; the database pages). */
export function RoutersTable({ rows }: { rows: RouterRow[] }) {
  return (
    <div data-testid="routers-table">
      <DataTable columns={columns} rows={rows} list="routers" rowKey={(r) => String(r.id)} caption="Routers" empty="No routers match." />
    </div>
  );
}
