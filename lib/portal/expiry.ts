// Where a customer's service stands: the words and the rule every customer
// list, filter and badge uses. Pure and browser-safe (no database, no zod).
import { DAY_MS } from "@/lib/dates";

/** "Expiring soon" means within this many days from now. */
export const EXPIRING_SOON_DAYS = 7;

export const customerExpiryFilters = ["active", "expiring", "expired", "never"] as const;
export type CustomerExpiryFilter = (typeof customerExpiryFilters)[number];

export const customerExpiryLabels: Record<CustomerExpiryFilter, string> = {
  active: "Active",
  expiring: `Expiring in ${EXPIRING_SOON_DAYS} days`,
  expired: "Expired",
  never: "Never activated",
};

/** Where a customer stands today: active, expiring within EXPIRING_SOON_DAYS, expired or never activated. */
export function expiryState(expiresAt: Date | null, now = new Date()): CustomerExpiryFilter {
  if (!expiresAt) return "never";
  if (expiresAt <= now) return "expired";
  return expiresAt.getTime() - now.getTime() <= EXPIRING_SOON_DAYS * DAY_MS ? "expiring" : "active";
}
