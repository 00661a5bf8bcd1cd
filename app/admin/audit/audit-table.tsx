"use client";

import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import type { AuditRow } from "@/lib/audit-log";

const helper = columnHelper<AuditRow>();
const columns = [
  helper.accessor("createdAt", { header: "When", enableSorting: false, cell: (c) => <DateText value={c.getValue()} format="dateTimeSeconds" /> }),
  helper.accessor("actor", { header: "Who", enableSorting: false }),
  helper.accessor("action", { header: "Action", enableSorting: false, cell: (c) => <span className="font-mono text-xs">{c.getValue()}</span> }),
  helper.accessor("resellerName", { header: "Reseller", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
  helper.display({ id: "target", header: "Target", cell: (c) => (c.row.original.targetType ? `${c.row.original.targetType} ${c.row.original.targetId ?? ""}` : "—") }),
  helper.accessor("ipAddress", { header: "Address", enableSorting: false, cell: (c) => c.getValue() ?? "—" }),
  helper.accessor("details", {
    header: "Details",
    enableSorting: false,
    cell: (c) => {
      const text = c.getValue() ? JSON.stringify(c.getValue()) : "";
      return <span className="block max-w-32 truncate font-mono 2xl:max-w-sm text-xs text-slate-500" title={text}>{text}</span>;
    },
  }),
];

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return <DataTable columns={columns} rows={rows} rowKey={(r) => String(r.id)} caption="Audit log" empty="Nothing recorded for these filters." />;
}
