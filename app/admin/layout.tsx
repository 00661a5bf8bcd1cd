import type { ReactNode } from "react";
import { AppShell } from "@/components/shell/app-shell";
import type { NavItem } from "@/components/shell/nav-links";
import { getDb } from "@/db/client";
import { activeDemoLogins } from "@/lib/demo-status";
import { requireAdmin } from "@/app/_server/session";

// Menu names follow what ISP admins know from their current tools.
const adminNav: NavItem[] = [
  { label: "Dashboard", href: "/admin" },
  { label: "Resellers & Managers", children: [{ label: "Resellers/Operators", href: "/admin/resellers" }] },
  { label: "Packages", href: "/admin/packages" },
  { label: "Customers", href: "/admin/customers" },
  {
    label: "Network",
    children: [
      { label: "Online now", href: "/admin/network/online" },
      { label: "Routers", href: "/admin/network/routers" },
      { label: "Disconnects", href: "/admin/network/disconnects" },
    ],
  },
  {
    label: "Accounts",
    children: [
      { label: "Accounts Receivable", href: "/admin/accounts/receivable" },
      { label: "Online payments", href: "/admin/accounts/online-payments" },
    ],
  },
  { label: "Payments", href: "/admin/payments" },
  { label: "Audit log", href: "/admin/audit" },
  { label: "API tokens", href: "/admin/api-tokens" },
];

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const user = await requireAdmin();
  return (
    <AppShell user={user} nav={adminNav} home="/admin" demoLogins={await activeDemoLogins(getDb())}>
      {children}
    </AppShell>
  );
}
