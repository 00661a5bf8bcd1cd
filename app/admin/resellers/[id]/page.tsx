import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { PositionSummary } from "@/components/ui/position";
import { formatMoney } from "@/lib/money";
import { permissionCatalog } from "@/lib/permissions";
import { ResellerActionsMenu } from "@/app/admin/resellers/actions-menu";
import { AddUserForm } from "@/app/admin/resellers/reseller-forms";
import { loadReseller, resellerTitle } from "./load";
import { UserToggle } from "./user-toggle";

export const generateMetadata = ({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> => resellerTitle(params);

export default async function ResellerPage({ params }: { params: Promise<{ id: string }> }) {
  const reseller = await loadReseller(params);
  const money = (v: bigint) => formatMoney(v, reseller.currency);
  return (
    <div className="space-y-6">
      <PageHeader
        title={reseller.name}
        description={[reseller.contactName, reseller.phone, reseller.email].filter(Boolean).join(" · ") || "No contact details"}
        actions={<ResellerActionsMenu resellerId={reseller.id} name={reseller.name} />}
      />
      <PositionSummary reseller={reseller} />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader><CardTitle>Packages and rates</CardTitle></CardHeader>
          <CardContent>
            {reseller.rates.length === 0 ? (
              <p className="text-sm text-slate-500">No packages in scope. <Link className="underline" href={`/admin/resellers/${reseller.id}/scope`}>Set rates</Link></p>
            ) : (
              <table className="w-full text-sm">
                <thead><tr className="text-left text-slate-500"><th className="py-1 font-medium">Package</th><th className="py-1 text-right font-medium">Customer price</th><th className="py-1 text-right font-medium">Reseller rate</th></tr></thead>
                <tbody>
                  {reseller.rates.map((r) => (
                    <tr key={r.packageId} className="border-t border-slate-100">
                      <td className="py-1.5">{r.name}{!r.active && <span className="ml-1 text-xs text-slate-500">inactive</span>}</td>
                      <td className="py-1.5 text-right tabular-nums">{money(r.customerPrice)}</td>
                      <td className="py-1.5 text-right font-medium tabular-nums">{money(r.rate)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader><CardTitle>Permissions and areas</CardTitle></CardHeader>
          <CardContent className="space-y-3 text-sm">
            <ul className="grid gap-1 sm:grid-cols-2">
              {permissionCatalog.map((p) => (
                <li key={p.key} className={reseller.permissions.includes(p.key) ? "text-slate-900" : "text-slate-500 line-through"}>{p.label}</li>
              ))}
            </ul>
            <p><span className="text-slate-500">Areas:</span> {reseller.areas.map((a) => a.name).join(", ") || "none"}</p>
            <p><span className="text-slate-500">Customers:</span> {reseller.customers.toLocaleString("en-US")}</p>
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader><CardTitle>Sign-in users</CardTitle></CardHeader>
        <CardContent className="space-y-4">
          <ul className="divide-y divide-slate-100 text-sm">
            {reseller.users.map((u) => (
              <li key={u.id} className="flex items-center justify-between py-2">
                <span>{u.name} · {u.email} {u.disabled && <span className="ml-1 rounded bg-red-50 px-1 text-xs text-red-700">disabled</span>}</span>
                <UserToggle userId={u.id} disabled={u.disabled} />
              </li>
            ))}
          </ul>
          <AddUserForm resellerId={reseller.id} idempotencyKey={randomUUID()} />
        </CardContent>
      </Card>
    </div>
  );
}
