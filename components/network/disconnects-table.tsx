"use client";

import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import { disconnectOutcomeLabels, disconnectReasonLabels, disconnectStatusLabels } from "@/lib/radius/labels";

export type DisconnectTableRow = {
  id: number;
  kind: "disconnect" | "coa";
  reason: string;
  customerName: string | null;
  username: string;
  nasIpAddress: string;
  nasName?: string | null;
  status: "pending" | "acked" | "failed";
  attempts: number;
  lastOutcome: string | null;
  lastDetail: string | null;
  createdAt: Date;
};

const label = (labels: Record<string, string>, value: string) => labels[value] ?? value;

/**
 * Disconnect/CoA requests with the outcome of their last attempt. On Network ›
 * Disconnects it is the `disconnects` list (the URL holds page, sort and
 * filters; the database pages); on a customer's page, its latest requests.
 */
export function DisconnectsTable({ rows, showCustomer = false, list = false }: { rows: DisconnectTableRow[]; showCustomer?: boolean; list?: boolean }) {
  const helper = columnHelper<DisconnectTableRow>();
  const columns = [
    helper.accessor("createdAt", { header: "When", cell: (c) => <DateText value={c.getValue()} format="dateTime" /> }),
    ...(showCustomer
      ? [helper.accessor("username", { header: "Customer", cell: (c) => <>{c.row.original.customerName ?? c.getValue()} <span className="text-xs text-slate-500">{c.getValue()}</span></> })]
      : []),
    helper.accessor("kind", { header: "Request", enableSorting: false, cell: (c) => (c.getValue() === "coa" ? "CoA" : "Disconnect") }),
    helper.accessor("reason", { header: "Why", enableSorting: false, cell: (c) => label(disconnectReasonLabels, c.getValue()) }),
    helper.accessor("nasIpAddress", {
      id: "router",
      header: "Router",
      cell: (c) => (
        <>
          {c.row.original.nasName && <>{c.row.original.nasName} </>}
          <span className="font-mono text-xs">{c.getValue()}</span>
        </>
      ),
    }),
    helper.accessor("status", {
      header: "Outcome",
      cell: (c) => {
        const d = c.row.original;
        return (
          <span data-testid="disconnect-outcome">
            {label(disconnectStatusLabels, d.status)}
            {d.lastOutcome && ` · last: ${label(disconnectOutcomeLabels, d.lastOutcome)}`}
            {d.attempts > 0 && ` · ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`}
            {d.lastDetail && <span className="block text-xs text-slate-500">{d.lastDetail}</span>}
          </span>
        );
      },
    }),
  ];
  return (
    <div data-testid="disconnects-table">
      <DataTable
        columns={columns}
        rows={rows}
        {...(list ? { list: "disconnects" as const } : {})}
        rowKey={(d) => String(d.id)}
        caption="Disconnect and CoA requests"
        empty={list ? "No requests match these filters." : "No disconnects sent."}
      />
    </div>
  );
}
