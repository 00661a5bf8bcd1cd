"use client";

import Link from "next/link";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import { formatBytes } from "@/lib/radius/format";
import type { OnlineSession } from "@/lib/radius/sessions";

/**
 * Online now: open sessions, a page at a time (the URL holds page, sort and
 * search; the database pages). Customer first: on a phone it is what shows
 * before the row scrolls. The admin's list also names the reseller.
 */
export function OnlineSessionsTable({ rows, area }: { rows: OnlineSession[]; area: "admin" | "portal" }) {
  const helper = columnHelper<OnlineSession>();
  const customerHref = (s: OnlineSession) => (area === "portal" && s.customerId ? `/portal/customers/${s.customerId}` : null);
  const columns = [
    helper.accessor("username", {
      header: "Customer",
      cell: (c) => {
        const s = c.row.original;
        const href = customerHref(s);
        const name = s.customerName ?? <span className="text-amber-700">unknown</span>;
        return (
          <>
            {href ? <Link className="hover:underline" href={href}>{name}</Link> : name} <span className="text-xs text-slate-500">{s.username}</span>
          </>
        );
      },
    }),
    ...(area === "admin" ? [helper.accessor("resellerName", { header: "Reseller", enableSorting: false, cell: (c) => c.getValue() ?? "—" })] : []),
    helper.accessor("nasIpAddress", { header: "Router", enableSorting: false, cell: (c) => c.row.original.nasName ?? c.getValue() }),
    helper.accessor("framedIpAddress", { header: "Address", enableSorting: false, cell: (c) => <span className="font-mono">{c.getValue() ?? "—"}</span> }),
    helper.accessor("startedAt", { header: "Since", cell: (c) => <DateText value={c.getValue()} format="dateTime" /> }),
    helper.accessor("outputOctets", {
      header: "Down / up",
      enableSorting: false,
      meta: { align: "right" },
      cell: (c) => `${formatBytes(c.getValue())} / ${formatBytes(c.row.original.inputOctets)}`,
    }),
  ];
  return (
    <div data-testid="online-table">
      <DataTable columns={columns} rows={rows} list="onlineSessions" rowKey={(s) => String(s.radacctId)} caption="Open sessions" empty="Nobody is online for these filters." />
    </div>
  );
}
