import type { Metadata } from "next";
import Link from "next/link";
import { AdminCharts } from "@/components/charts/admin-charts";
import { DateText } from "@/components/ui/date-text";
import { ListCard } from "@/components/ui/list-card";
import { PageHeader } from "@/components/ui/page-header";
import { Stat } from "@/components/ui/stat";
import { getDb } from "@/db/client";
import { adminDashboard } from "@/lib/admin-dashboard";
import { installCurrency } from "@/lib/config";
import { ledgerKindLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import { LONG_PENDING_MINUTES } from "@/lib/payments/checkout";
import { onlinePaymentAlerts } from "@/lib/payments/queries";
import { requireAdmin } from "@/app/_server/session";

export const metadata: Metadata = { title: "Dashboard" };

const reasons = {
  at_limit: "At its collection limit",
  near_limit: "Near its collection limit",
  zero_balance: "Prepaid balance is zero",
  below_cheapest_rate: "Balance below its cheapest rate",
};

export default async function AdminDashboardPage() {
  const user = await requireAdmin();
  const [d, online] = await Promise.all([adminDashboard(getDb()), onlinePaymentAlerts(getDb())]);
  const money = (v: bigint) => formatMoney(v, installCurrency());
  return (
    <div className="space-y-6">
      <PageHeader title="Dashboard" description={`Welcome back, ${user.name}.`} />
      {(online.flagged > 0 || online.stalePending > 0) && (
        <div role="alert" data-testid="online-payment-alert" className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {online.flagged > 0 && (
            <Link className="font-semibold underline" href="/admin/accounts/online-payments?status=flagged">
              {online.flagged} flagged online payment{online.flagged === 1 ? "" : "s"} to review
            </Link>
          )}
          {online.stalePending > 0 && (
            <Link className="font-semibold underline" href="/admin/accounts/online-payments?status=pending">
              {online.stalePending} online payment{online.stalePending === 1 ? "" : "s"} pending for over {LONG_PENDING_MINUTES} minutes
            </Link>
          )}
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
        <Stat label="Prepaid balances held" value={money(d.prepaidHeld)} testId="stat-prepaid-held" />
        <Stat label="Postpaid outstanding" value={money(d.postpaidOutstanding)} testId="stat-outstanding" hint={<Link className="underline" href="/admin/accounts/receivable">Accounts Receivable</Link>} />
        <Stat label="Collected today" value={money(d.collectedToday)} />
        <Stat label="Collected this month" value={money(d.collectedThisMonth)} />
        <Stat label="Activations today" value={d.activationsToday} hint={`${d.renewalsToday} renewals`} />
      </div>
      <AdminCharts charts={d.charts} currency={installCurrency()} />
      <div className="grid gap-6 lg:grid-cols-2">
        <ListCard className="min-w-0" title="Needs attention" items={d.attention} empty="Every reseller can activate and renew.">
          {(r) => (
            <li key={r.id} className="flex items-center justify-between gap-3 py-2">
              <div>
                <Link href={`/admin/resellers/${r.id}`} className="font-medium text-brand-700 hover:underline">{r.name}</Link>
                <div className={r.reason === "at_limit" || r.reason === "zero_balance" ? "text-red-700" : "text-amber-700"}>{reasons[r.reason]}</div>
              </div>
              <div className="text-right tabular-nums">
                {r.type === "postpaid" ? `${money(-r.balance)} of ${money(r.collectionLimit)}` : money(r.balance)}
                <div>
                  <Link className="text-xs text-brand-700 hover:underline" href={`/admin/resellers/${r.id}/${r.type === "postpaid" ? "cash-received" : "add-balance"}`}>
                    {r.type === "postpaid" ? "Entry Cash Received" : "Add Balance"}
                  </Link>
                </div>
              </div>
            </li>
          )}
        </ListCard>
        <ListCard className="min-w-0" title="Recent activity" items={d.recent} empty="No entries yet.">
          {(e) => (
            <li key={e.id} className="flex items-center justify-between gap-3 py-2">
              <div className="min-w-0">
                <span className="font-medium">{ledgerKindLabels[e.kind]}</span> · <Link className="text-brand-700 underline" href={`/admin/resellers/${e.resellerId}/statement`}>{e.resellerName}</Link>
                <div className="truncate text-xs text-slate-500"><DateText value={e.createdAt} format="dateTime" /> · {e.actor}</div>
              </div>
              <span className={`tabular-nums ${e.amount < 0n ? "text-slate-900" : "text-emerald-700"}`}>{formatMoney(e.amount, e.currency)}</span>
            </li>
          )}
        </ListCard>
      </div>
    </div>
  );
}
