import type { ReactNode } from "react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { formatBytes } from "@/lib/radius/format";
import { DisconnectsTable, type DisconnectTableRow } from "./disconnects-table";

type Session = {
  radacctId: number; nasIpAddress: string; nasName: string | null; framedIpAddress: string | null; startedAt: Date | null; stoppedAt: Date | null;
  inputOctets: bigint; outputOctets: bigint; terminateCause: string | null;
};

/**
 * A customer's network picture (customer pages of the admin and the portal):
 * the service login, online or offline, usage this period, the last sessions
 * and the Disconnect/CoA requests sent for it.
 */
export function CustomerNetworkCard({
  username, servicePassword, network, disconnects, passwordReset,
}: {
  username: string;
  /** Shown to whoever may see it (the customer's reseller); omitted otherwise. */
  servicePassword?: string;
  network: { online: boolean; sessions: Session[]; usage: { since: Date; inputOctets: bigint; outputOctets: bigint } };
  disconnects: DisconnectTableRow[];
  passwordReset?: ReactNode;
}) {
  return (
    <Card>
      <CardHeader><CardTitle>Network</CardTitle></CardHeader>
      <CardContent className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-4">
          <div>
            <div className="text-xs text-slate-500 uppercase">Now</div>
            <div className={`mt-1 font-semibold ${network.online ? "text-emerald-700" : "text-slate-600"}`} data-testid="customer-online">{network.online ? "Online" : "Offline"}</div>
          </div>
          <div>
            <div className="text-xs text-slate-500 uppercase">Service username</div>
            <div className="mt-1 font-mono" data-testid="service-username">{username}</div>
          </div>
          {servicePassword !== undefined && (
            <div>
              <div className="text-xs text-slate-500 uppercase">Service password</div>
              <div className="mt-1 font-mono" data-testid="service-password">{servicePassword}</div>
            </div>
          )}
          <div>
            <div className="text-xs text-slate-500 uppercase">Usage since <DateText value={network.usage.since} /></div>
            <div className="mt-1 tabular-nums" data-testid="customer-usage">↓ {formatBytes(network.usage.outputOctets)} · ↑ {formatBytes(network.usage.inputOctets)}</div>
          </div>
        </div>
        {passwordReset}
        <div>
          <h3 className="mb-1 text-sm font-semibold">Last sessions</h3>
          {network.sessions.length === 0 ? (
            <p className="text-sm text-slate-500">No sessions yet.</p>
          ) : (
            <div className="relative overflow-x-auto">
              <table className="w-full text-sm" data-testid="customer-sessions">
                <thead><tr className="text-left text-slate-500"><th className="py-1 font-medium">Start</th><th className="py-1 font-medium">End</th><th className="py-1 font-medium">Router</th><th className="py-1 font-medium">Address</th><th className="py-1 text-right font-medium">Down / up</th></tr></thead>
                <tbody>
                  {network.sessions.map((s) => (
                    <tr key={s.radacctId} className="border-t border-slate-100">
                      <td className="py-1.5"><DateText value={s.startedAt} format="dateTime" /></td>
                      <td className="py-1.5">{s.stoppedAt ? <><DateText value={s.stoppedAt} format="dateTime" />{s.terminateCause && <span className="text-xs text-slate-500"> · {s.terminateCause}</span>}</> : <span className="text-emerald-700">open</span>}</td>
                      <td className="py-1.5">{s.nasName ?? s.nasIpAddress}</td>
                      <td className="py-1.5 font-mono">{s.framedIpAddress ?? "—"}</td>
                      <td className="py-1.5 text-right tabular-nums">{formatBytes(s.outputOctets)} / {formatBytes(s.inputOctets)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
        <div>
          <h3 className="mb-1 text-sm font-semibold">Disconnects</h3>
          <DisconnectsTable rows={disconnects} />
        </div>
      </CardContent>
    </Card>
  );
}
