import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import type { NavItem } from "@/components/shell/nav-links";
import { getDb } from "@/db/client";
import { onlinePaymentAvailability } from "@/lib/payments/checkout";
import { gatewayConfig } from "@/lib/payments/gateway";
import { hasPermission } from "@/lib/permissions";
import { requireReseller } from "@/app/_server/session";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireReseller();
  const can = (permission: Parameters<typeof hasPermission>[1]) => hasPermission(user.permissions, permission);
  // Shown only with the permission and a gateway the admin has left on.
  const payOnline = can("payments.online") && (await onlinePaymentAvailability(getDb(), gatewayConfig())).available;
  const nav: NavItem[] = [
    { label: "Dashboard", href: "/portal" },
    { label: "Customers", href: "/portal/customers", disabled: !can("customers.view") },
    { label: "Online now", href: "/portal/online", disabled: !can("customers.view") },
    { label: "Collections", href: "/portal/collections", disabled: !can("payments.collect") },
    { label: "Statement", href: "/portal/statement", disabled: !can("finance.view") },
    ...(payOnline ? [{ label: "Pay online", href: "/portal/pay-online" }] : []),
    ...(can("api.tokens") ? [{ label: "API tokens", href: "/portal/api-tokens" }] : []),
  ];
  return (
    <AppShell user={user} nav={nav} home="/portal">
      {children}
    </AppShell>
  );
}
