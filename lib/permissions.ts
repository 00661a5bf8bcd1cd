/** The fixed permission catalog an admin grants to each reseller. */
export const permissionCatalog = [
  { key: "customers.view", label: "View customers" },
  { key: "customers.create", label: "Create customers" },
  { key: "customers.edit", label: "Edit customers" },
  { key: "customers.suspend", label: "Suspend and reactivate customers" },
  { key: "subscriptions.activate", label: "Activate packages" },
  { key: "subscriptions.renew", label: "Renew subscriptions" },
  { key: "payments.collect", label: "Collect customer payments" },
  { key: "finance.view", label: "View balance and statement" },
  { key: "payments.online", label: "Pay the admin online" },
  { key: "api.tokens", label: "Manage its own API tokens" },
] as const;

export type Permission = (typeof permissionCatalog)[number]["key"];
export const allPermissions: Permission[] = permissionCatalog.map((p) => p.key);

export function isPermission(value: string): value is Permission {
  return (allPermissions as string[]).includes(value);
}

export function hasPermission(granted: readonly string[], permission: Permission): boolean {
  return granted.includes(permission);
}

/** What an admin API token may be allowed to do (admin automation: accounting tools, scripts). */
export const adminScopeCatalog = [
  { key: "resellers.read", label: "Read resellers and their positions" },
  { key: "balance.add", label: "Add Balance to a reseller" },
  { key: "cash.record", label: "Record cash received from a reseller" },
  { key: "receivables.read", label: "Read accounts receivable" },
  { key: "online_payments.read", label: "Read online payments" },
] as const;

export type AdminScope = (typeof adminScopeCatalog)[number]["key"];
export const allAdminScopes: AdminScope[] = adminScopeCatalog.map((s) => s.key);

export function isAdminScope(value: string): value is AdminScope {
  return (allAdminScopes as string[]).includes(value);
}
