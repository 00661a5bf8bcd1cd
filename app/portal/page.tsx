import type { Metadata } from "next";
import Link from "next/link";
import { PortalCharts } from "@/components/charts/portal-charts";
import { DateText } from "@/components/ui/date-text";
import { ListCard } from "@/components/ui/list-card";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { getDb } from "@/db/client";
import { ledgerKindLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import { hasPermission } from "@/lib/permissions";
import { onlinePaymentAvailability } from "@/lib/payments/checkout";
import { gatewayConfig } from "@/lib/payments/gateway";
import { getDashboard } from "@/lib/portal/dashboard";
import { buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { requireReseller } from "@/app/_server/session";

export const metadata: Metadata = { title: "Dashboard" };

export default async function PortalDashboard() {
  const user = await requireReseller();
  const d = await getDashboard(getDb(), user.resellerId);
  const money = (v: bigint) => formatMoney(v, d.reseller.currency);
  const canView = hasPermission(user.permissions, "customers.view");
  const payOnline = hasPermission(user.permissions, "payments.online") && (await onlinePaymentAvailability(getDb(), gatewayConfig())).available;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Dashboard"
        description={d.reseller.name}
        actions={payOnline && <Link className={buttonVariants()} href="/portal/pay-online">{d.reseller.type === "postpaid" ? "Pay outstanding online" : "Top up online"}</Link>}
      />
      {canView && (
        // Finding a customer comes first at the counter: a plain GET form, so it works before scripts load.
        <form role="search" action="/portal/customers" className="flex gap-2">
          <label htmlFor="find-customer" className="sr-only">Find a customer</label>
          <Input id="find-customer" type="search" name="q" placeholder="Find a customer: name, username, phone" autoComplete="off" enterKeyHint="search" />
          <button type="submit" className={buttonVariants({ variant: "secondary" })}>Find</button>
        </form>
      )}
      {d.banner && (
        <div role="alert" data-testid="blocked-banner" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm font-medium text-red-800">
          {d.banner.message}
        </div>
      )}
      {d.reseller.type === "prepaid" ? (
        <div className="grid gap-4 sm:grid-cols-3">
          <Stat label="Prepaid balance" value={money(d.balance)} testId="dashboard-balance" hint="Activations and renewals are paid from this." />
          <Stat label="Cheapest package rate" value={d.cheapestRate === null ? "—" : money(d.cheapestRate)} />
          <Stat label="Expiring in 7 days" value={d.expiringSoon.total} />
        </div>
      ) : (
        <div className="grid gap-4 sm:grid-cols-3">
          <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:col-span-2">
            <div className="text-xs font-medium tracking-wide text-slate-500 uppercase">Outstanding / collection limit</div>
            <div className="mt-1 text-2xl font-semibold tabular-nums" data-testid="dashboard-outstanding">
              {money(d.outstanding)} <span className="text-base font-normal text-slate-500">of {money(d.collectionLimit)}</span>
            </div>
            <div className="mt-3 h-2.5 rounded-full bg-slate-100" role="progressbar" aria-label="Collection limit used" aria-valuemin={0} aria-valuemax={100} aria-valuenow={d.limitUsedPercent ?? 0}>
              <div className={`h-2.5 rounded-full ${(d.limitUsedPercent ?? 0) >= 80 ? "bg-red-500" : "bg-brand-500"}`} style={{ width: `${d.limitUsedPercent ?? 0}%` }} />
            </div>
            <div className="mt-1 text-xs text-slate-500">{d.limitUsedPercent ?? 0}% used · {money(d.available)} available</div>
          </div>
          <Stat label="Expiring in 7 days" value={d.expiringSoon.total} />
        </div>
      )}
      <PortalCharts dashboard={d} showMoney={hasPermission(user.permissions, "finance.view")} />
      <div className="grid gap-6 lg:grid-cols-2">
        <ListCard className="min-w-0" title={<>Expiring in the next {d.expiringSoon.days} days</>} items={d.expiringSoon.rows} empty="No customer expires this week.">
          {(c) => (
            <li key={c.id} className="flex justify-between py-2">
              {canView ? <Link className="text-brand-700 hover:underline" href={`/portal/customers/${c.id}`}>{c.name} <span className="text-xs text-slate-500">{c.username}</span></Link> : <span>{c.name}</span>}
              <span className="text-amber-700"><DateText value={c.expiresAt} /></span>
            </li>
          )}
        </ListCard>
        <ListCard className="min-w-0" title="Recent entries" items={d.recentEntries} empty="No entries yet.">
          {(e) => (
            <li key={e.id} className="flex justify-between gap-3 py-2">
              <span className="min-w-0 truncate"><span className="font-medium">{ledgerKindLabels[e.kind]}</span> <span className="text-slate-500">{e.note ?? ""}</span></span>
              <span className={`tabular-nums ${e.amount > 0n ? "text-emerald-700" : ""}`}>{money(e.amount)}</span>
            </li>
          )}
        </ListCard>
      </div>
    </div>
  );
}
