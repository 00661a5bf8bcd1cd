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
] as const;

export type Permission = (typeof permissionCatalog)[number]["key"];
export const allPermissions: Permission[] = permissionCatalog.map((p) => p.key);

export function isPermission(value: string): value is Permission {
  return (allPermissions as string[]).includes(value);
}

export function hasPermission(granted: readonly string[], permission: Permission): boolean {
  return granted.includes(permission);
}
