import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { CheckWithGatewayButton } from "@/components/payments/check-with-gateway";
import { OnlinePaymentsTable } from "@/components/payments/online-payments-table";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { installCurrency } from "@/lib/config";
import { toDecimalString } from "@/lib/money";
import { gatewayConfig, gatewayModeLabels } from "@/lib/payments/gateway";
import { onlinePaymentStatusLabels } from "@/lib/payments/labels";
import { listOnlinePayments, onlinePaymentSearchSchema } from "@/lib/payments/queries";
import { getPaymentSettings } from "@/lib/payments/settings";
import { requireAdmin } from "@/app/_server/session";
import { checkWithGatewayAction } from "./actions";
import { PaymentSettingsForm } from "./settings-form";

export const metadata: Metadata = { title: "Online payments" };

function GatewayStatus() {
  const config = gatewayConfig();
  const notes: string[] = [];
  if (config.mode === "off") notes.push(config.reason);
  if (config.mode === "sandbox") notes.push("Without Stripe keys on a local install, a built-in sandbox checkout stands in for Stripe. It can never credit money on an install with Stripe keys or its own database.");
  if ((config.mode === "live" || config.mode === "test") && !config.webhookSecret) {
    notes.push("STRIPE_WEBHOOK_SECRET is not set: payments are settled only by the return page and Check with gateway until it is.");
  }
  if (config.mode === "test") notes.push("Test keys: card payments are not real money, yet they credit resellers here. Use live keys in production.");
  return (
    <div className="space-y-2 text-sm">
      <p>
        Gateway: <strong data-testid="gateway-mode">{gatewayModeLabels[config.mode]}</strong>
        {(config.mode === "live" || config.mode === "test") && config.apiUrl && <span className="text-slate-500"> · API at {new URL(config.apiUrl).host}</span>}
      </p>
      {notes.map((note) => (
        <p key={note} className="text-slate-600">{note}</p>
      ))}
      <p className="text-xs text-slate-500">Keys come from the environment (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET) and are never shown or stored.</p>
    </div>
  );
}

export default async function OnlinePaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const db = getDb();
  const currency = installCurrency();
  const search = onlinePaymentSearchSchema.parse(await searchParams);
  const [settings, page] = await Promise.all([getPaymentSettings(db, currency), listOnlinePayments(db, search)]);
  return (
    <div className="space-y-6">
      <PageHeader title="Online payments" description="Resellers paying the admin by card. Only the gateway's signed word credits money; each paid checkout is credited once." />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Gateway</CardTitle>
          </CardHeader>
          <CardContent>
            <GatewayStatus />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Settings</CardTitle>
          </CardHeader>
          <CardContent>
            <PaymentSettingsForm
              onlineEnabled={settings.onlineEnabled}
              minAmount={toDecimalString(settings.minAmount, currency)}
              maxAmount={toDecimalString(settings.maxAmount, currency)}
              currency={currency}
            />
          </CardContent>
        </Card>
      </div>
      <section aria-labelledby="online-payments-list" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="online-payments-list" className="text-lg font-semibold">Every online payment</h2>
          <CheckWithGatewayButton action={checkWithGatewayAction} label="Check all pending with gateway" />
        </div>
        <TableToolbar list="onlinePayments"
          dateRange
          searchPlaceholder="Reseller, session or user"
          csvHref="/admin/accounts/online-payments/export"
          filters={[{ name: "status", label: "Status", options: Object.entries(onlinePaymentStatusLabels).map(([value, label]) => ({ value, label })) }]}
        />
        <OnlinePaymentsTable rows={page.rows} audience="admin" checkAction={checkWithGatewayAction} />
        <Pager list="onlinePayments" pageCount={page.pageCount} total={page.total} />
      </section>
    </div>
  );
}
