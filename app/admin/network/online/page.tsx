import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { formatBytes } from "@/lib/radius/format";
import { countOnlineNow, listOnlineNow } from "@/lib/radius/sessions";
import { requireAdmin } from "@/app/_server/session";

export const metadata: Metadata = { title: "Online now" };

const PAGE = 50;

/** `before` is "<ISO start>_<radacct id>" of the last row of the previous page (keyset paging). */
function parseBefore(raw: string | undefined) {
  const m = raw ? /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)_(\d{1,18})$/.exec(raw) : null;
  if (!m) return undefined;
  const startedAt = new Date(m[1]!);
  return Number.isNaN(startedAt.getTime()) ? undefined : { startedAt, radacctId: Number(m[2]) };
}

export default async function OnlineNowPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requireAdmin();
  const before = parseBefore((await searchParams).before);
  const scope = { role: "admin" } as const;
  const [rows, total] = await Promise.all([listOnlineNow(getDb(), scope, { limit: PAGE, before }), countOnlineNow(getDb(), scope)]);
  const last = rows.at(-1);
  return (
    <div>
      <PageHeader title="Online now" description={`${total.toLocaleString("en")} open session${total === 1 ? "" : "s"}, newest first, as the routers report them to FreeRADIUS.`} />
      <Card>
        <CardContent className="overflow-x-auto pt-4">
          {rows.length === 0 ? (
            <p className="text-sm text-slate-500">Nobody is online{before ? " further back" : ""}.</p>
          ) : (
            <table className="w-full text-sm" data-testid="online-table">
              <thead>
                <tr className="text-left text-slate-500">
                  <th className="py-1 font-medium">Customer</th><th className="py-1 font-medium">Reseller</th><th className="py-1 font-medium">Router</th>
                  <th className="py-1 font-medium">Address</th><th className="py-1 font-medium">Since</th><th className="py-1 text-right font-medium">Down / up</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => (
                  <tr key={s.radacctId} className="border-t border-slate-100">
                    <td className="py-1.5">{s.customerName ?? <span className="text-amber-700">unknown</span>} <span className="text-slate-500">{s.username}</span></td>
                    <td className="py-1.5">{s.resellerName ?? "—"}</td>
                    <td className="py-1.5">{s.nasName ?? s.nasIpAddress}</td>
                    <td className="py-1.5 font-mono">{s.framedIpAddress ?? "—"}</td>
                    <td className="py-1.5"><DateText value={s.startedAt} format="dateTime" /></td>
                    <td className="py-1.5 text-right tabular-nums">{formatBytes(s.outputOctets)} / {formatBytes(s.inputOctets)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="mt-3 flex gap-3 text-sm">
            {before && <Link className="text-brand-700 hover:underline" href="/admin/network/online">Newest</Link>}
            {last?.startedAt && rows.length === PAGE && (
              <Link className="text-brand-700 hover:underline" href={`/admin/network/online?before=${last.startedAt.toISOString()}_${last.radacctId}`}>Older sessions</Link>
            )}
          </div>
        </CardContent>
      </Card>
    </div>
  );
}
