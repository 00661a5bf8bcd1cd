import { DateText } from "@/components/ui/date-text";

// Labels kept here (browser-safe) rather than imported from the server-only query module.
const reasonLabels: Record<string, string> = {
  customer_suspended: "Customer suspended",
  reseller_suspended: "Reseller suspended",
  expired: "Service expired",
  no_service: "Charge reversed",
  package_changed: "Package changed",
};
const outcomeLabels: Record<string, string> = { ack: "ACK", nak: "NAK", timeout: "Timeout", error: "Error" };
const statusLabels: Record<string, string> = { pending: "Sending", acked: "Done", failed: "Failed" };

export type DisconnectTableRow = {
  id: number;
  kind: "disconnect" | "coa";
  reason: string;
  customerName: string | null;
  username: string;
  nasIpAddress: string;
  status: "pending" | "acked" | "failed";
  attempts: number;
  lastOutcome: string | null;
  lastDetail: string | null;
  createdAt: Date;
};

/** Disconnect/CoA requests with the outcome of their last attempt. */
export function DisconnectsTable({ rows, showCustomer = false }: { rows: DisconnectTableRow[]; showCustomer?: boolean }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No disconnects sent.</p>;
  return (
    <table className="w-full text-sm" data-testid="disconnects-table">
      <thead>
        <tr className="text-left text-slate-500">
          <th className="py-1 font-medium">When</th>
          {showCustomer && <th className="py-1 font-medium">Customer</th>}
          <th className="py-1 font-medium">Request</th><th className="py-1 font-medium">Why</th><th className="py-1 font-medium">Router</th>
          <th className="py-1 font-medium">Outcome</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} className="border-t border-slate-100">
            <td className="py-1.5"><DateText value={d.createdAt} format="dateTime" /></td>
            {showCustomer && <td className="py-1.5">{d.customerName ?? d.username}</td>}
            <td className="py-1.5">{d.kind === "coa" ? "CoA" : "Disconnect"}</td>
            <td className="py-1.5">{reasonLabels[d.reason] ?? d.reason}</td>
            <td className="py-1.5 font-mono">{d.nasIpAddress}</td>
            <td className="py-1.5" data-testid="disconnect-outcome">
              {statusLabels[d.status]}
              {d.lastOutcome && ` · last: ${outcomeLabels[d.lastOutcome] ?? d.lastOutcome}`}
              {d.attempts > 0 && ` · ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}`}
              {d.lastDetail && <span className="block text-xs text-slate-500">{d.lastDetail}</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
