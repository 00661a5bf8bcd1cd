import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DateText } from "@/components/ui/date-text";
import { ListCard } from "@/components/ui/list-card";
import { PageHeader } from "@/components/ui/page-header";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import { hasPermission } from "@/lib/permissions";
import { customerExpiryLabels } from "@/lib/portal/expiry";
import { formatReceiptNumber } from "@/lib/vocabulary";
import { CustomerNetworkCard } from "@/components/network/customer-network-card";
import { getDb } from "@/db/client";
import { DAY_MS } from "@/lib/dates";
import { customerNetwork, recentDisconnects } from "@/lib/radius/sessions";
import { CustomerStatusForm, ServicePasswordResetForm } from "@/app/portal/customers/customer-forms";
import { customerTitle, loadCustomer } from "./load";

export const generateMetadata = ({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> => customerTitle(params, "customers.view");


export default async function CustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, customer, currentSubscription, subscriptions, payments } = await loadCustomer(params, "customers.view");
  const can = (p: Parameters<typeof hasPermission>[1]) => hasPermission(user.permissions, p);
  const currency = user.reseller!.currency;
  const base = `/portal/customers/${customer.id}`;
  const running = customer.expiresAt !== null && customer.expiresAt > new Date();
  const scope = { role: "reseller", resellerId: user.resellerId } as const;
  const since = currentSubscription && currentSubscription.startsAt < new Date() ? currentSubscription.startsAt : new Date(Date.now() - 30 * DAY_MS);
  const [network, disconnects] = await Promise.all([customerNetwork(getDb(), scope, customer.id, since), recentDisconnects(getDb(), scope, { customerId: customer.id, limit: 10 })]);
  return (
    <div className="space-y-6">
      <PageHeader
        title={customer.name}
        description={`${customer.username} · ${customer.areaName}${customer.phone ? ` · ${customer.phone}` : ""}`}
        actions={
          <>
            {can("subscriptions.activate") && !running && customer.status === "active" && <Link href={`${base}/activate`} className={buttonVariants()}>Activate</Link>}
            {can("subscriptions.renew") && currentSubscription && customer.status === "active" && <Link href={`${base}/renew`} className={buttonVariants()}>Renew</Link>}
            {can("payments.collect") && <Link href={`${base}/collect`} className={buttonVariants({ variant: "secondary" })}>Collect payment</Link>}
            {can("customers.edit") && <Link href={`${base}/edit`} className={buttonVariants({ variant: "secondary" })}>Edit</Link>}
          </>
        }
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <Card><CardContent className="pt-4"><div className="text-xs text-slate-500 uppercase">Status</div><div className="mt-1 font-semibold" data-testid="customer-status">{customer.status === "active" ? "Active" : "Suspended"}</div></CardContent></Card>
        <Card><CardContent className="pt-4"><div className="text-xs text-slate-500 uppercase">Service until</div><div className="mt-1 font-semibold" data-testid="customer-expiry"><DateText value={customer.expiresAt} empty="Never activated" /></div><div className="text-xs text-slate-500">{customerExpiryLabels[customer.expiry]}</div></CardContent></Card>
        <Card><CardContent className="pt-4"><div className="text-xs text-slate-500 uppercase">Package</div><div className="mt-1 font-semibold">{currentSubscription?.packageName ?? "—"}</div></CardContent></Card>
      </div>
      <CustomerNetworkCard
        username={customer.username}
        servicePassword={customer.servicePassword}
        network={network}
        disconnects={disconnects}
        passwordReset={can("customers.edit") ? <ServicePasswordResetForm customerId={customer.id} /> : undefined}
      />
      <Card>
        <CardHeader><CardTitle>Subscriptions</CardTitle></CardHeader>
        <CardContent>
          {subscriptions.length === 0 ? (
            <p className="text-sm text-slate-500">No subscriptions yet.</p>
          ) : (
            <table className="w-full text-sm">
              <thead><tr className="text-left text-slate-500"><th className="py-1 font-medium">Package</th><th className="py-1 font-medium">Kind</th><th className="py-1 font-medium">Period</th><th className="py-1 text-right font-medium">Charged</th></tr></thead>
              <tbody>
                {subscriptions.map((s) => (
                  <tr key={s.id} className="border-t border-slate-100">
                    <td className="py-1.5">{s.packageName}</td>
                    <td className="py-1.5 capitalize">{s.kind}{s.reversedAt && <span className="ml-1 text-xs text-amber-700">reversed</span>}</td>
                    <td className="py-1.5"><DateText value={s.startsAt} /> – <DateText value={s.expiresAt} /></td>
                    <td className="py-1.5 text-right tabular-nums">{formatMoney(s.priceCharged, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
      <ListCard title="Payments collected" items={payments} empty="No payments recorded.">
        {(p) => (
          <li key={p.id} className="flex justify-between py-2">
            <span><Link className="text-brand-700 underline" href={`/portal/receipts/${p.id}`}>{formatReceiptNumber(p.receiptNumber)}</Link> · <DateText value={p.createdAt} /> · {paymentMethodLabels[p.method]}</span>
            <span className="tabular-nums">{formatMoney(p.amount, currency)}</span>
          </li>
        )}
      </ListCard>
      {can("customers.suspend") && (
        <Card>
          <CardHeader><CardTitle>{customer.status === "active" ? "Suspend" : "Reactivate"}</CardTitle></CardHeader>
          <CardContent><CustomerStatusForm customerId={customer.id} status={customer.status} /></CardContent>
        </Card>
      )}
    </div>
  );
}
