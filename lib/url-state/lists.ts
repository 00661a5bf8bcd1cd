// One definition of each list's URL parameters. The server parses a list's
// URL with it (the lib `*SearchSchema`s are built from these, see ./schema);
// the client toolbar, sort headers and pagers write the URL with the same
// parsers (components/data-table, by list id). Browser-safe.
import { createParser } from "nuqs/server";
import type { customerStatus, ledgerKind, resellerStatus, resellerType } from "@/db/schema";
import { onlinePaymentStatuses } from "@/lib/payments/labels";
import { customerExpiryFilters } from "@/lib/portal/expiry";
import { disconnectOutcomeLabels, disconnectStatusLabels, nasTypes } from "@/lib/radius/labels";
import { ledgerKindLabels, paymentMethodLabels } from "@/lib/vocabulary";
import { pagingParsers, parseAsCursor, parseAsDay, parseAsId, parseAsOneOf, parseAsPerPage, parseAsSearchText, parseAsSetOf, parseAsSort } from "./parsers";

type EnumOf<E extends { enumValues: readonly string[] }> = E["enumValues"][number];

/**
 * Every value of a database enum, checked at compile time both ways (none
 * missing, none extra). The import of the enum is type-only: nothing of the
 * schema reaches the browser.
 */
const allOf =
  <E extends string>() =>
  <const T extends readonly E[]>(values: T & ([E] extends [T[number]] ? unknown : never)): T =>
    values;

// The values a filter accepts from the URL.
const resellerTypes = allOf<EnumOf<typeof resellerType>>()(["prepaid", "postpaid"]);
const resellerStatuses = allOf<EnumOf<typeof resellerStatus>>()(["active", "suspended"]);
const customerStatuses = allOf<EnumOf<typeof customerStatus>>()(["active", "suspended"]);
/** The keys of a label record (lib/vocabulary: one label per enum value, so every value). */
const keysOf = <K extends string>(labels: Record<K, string>) => Object.keys(labels) as K[];
const paymentMethods = keysOf(paymentMethodLabels);
const ledgerKinds = keysOf(ledgerKindLabels);
/** Money the admin received from resellers: Add Balance, cash received, online payments. */
export const settlementKinds = ["balance_added", "cash_received", "online_payment"] as const satisfies readonly EnumOf<typeof ledgerKind>[];
export const statementDirections = ["first", "next", "prev", "last"] as const;

/** Admin › Packages. */
export const packageListParams = {
  ...pagingParsers,
  sort: parseAsSort(["name", "customerPrice", "validityDays", "downloadMbps"], "name.asc"),
  q: parseAsSearchText,
  active: parseAsOneOf(["yes", "no"]),
};

/** Admin › Resellers/Operators. */
export const resellerListParams = {
  ...pagingParsers,
  sort: parseAsSort(["name", "balance", "outstanding", "collectionLimit", "customers", "createdAt"], "name.asc"),
  q: parseAsSearchText,
  type: parseAsOneOf(resellerTypes),
  status: parseAsOneOf(resellerStatuses),
};

/** Admin › Customers: every reseller's customers. */
export const customerDirectoryParams = {
  ...pagingParsers,
  sort: parseAsSort(["name", "username", "reseller", "createdAt", "expiresAt"], "createdAt.desc"),
  q: parseAsSearchText,
  reseller: parseAsId,
  area: parseAsId,
  status: parseAsOneOf(customerStatuses),
  expiry: parseAsOneOf(customerExpiryFilters),
};

/** Portal › Customers: one reseller's customers. */
export const customerListParams = {
  ...pagingParsers,
  sort: parseAsSort(["name", "username", "createdAt", "expiresAt"], "name.asc"),
  q: parseAsSearchText,
  area: parseAsId,
  status: parseAsOneOf(customerStatuses),
  expiry: parseAsOneOf(customerExpiryFilters),
};

/** Admin › Payments: money received from resellers. */
export const settlementListParams = {
  ...pagingParsers,
  sort: parseAsSort(["createdAt", "amount", "reseller"], "createdAt.desc"),
  q: parseAsSearchText,
  kind: parseAsOneOf(settlementKinds),
  method: parseAsOneOf(paymentMethods),
  from: parseAsDay,
  to: parseAsDay,
};

/** An audit action ("billing.add_balance"), or a prefix ending in "." ("auth."). */
const parseAsAuditAction = createParser<string>({
  parse: (value) => {
    const action = value.trim();
    return action && action.length <= 80 && /^[a-z_.]+$/.test(action) ? action : null;
  },
  serialize: (action) => action,
});

/** Admin › Audit log (newest first, no sorting). */
export const auditListParams = {
  ...pagingParsers,
  action: parseAsAuditAction,
  q: parseAsSearchText,
  reseller: parseAsId,
  from: parseAsDay,
  to: parseAsDay,
};

/** Online payments: the admin's list of every attempt and a reseller's own. */
export const onlinePaymentListParams = {
  ...pagingParsers,
  sort: parseAsSort(["createdAt", "amount", "reseller", "status"], "createdAt.desc"),
  q: parseAsSearchText,
  status: parseAsOneOf(onlinePaymentStatuses),
  from: parseAsDay,
  to: parseAsDay,
};

/** Portal › Collections: payments a reseller collected from its customers. */
export const collectionListParams = {
  ...pagingParsers,
  sort: parseAsSort(["createdAt", "amount"], "createdAt.desc"),
  /** Customer name or username, payment reference, or receipt number. */
  q: parseAsSearchText,
  method: parseAsOneOf(paymentMethods),
  customerId: parseAsId,
  /** Inclusive calendar days. */
  from: parseAsDay,
  to: parseAsDay,
};

/** Network › Online now: open RADIUS sessions (the admin's across resellers, a reseller's of its own customers). */
export const onlineSessionListParams = {
  ...pagingParsers,
  sort: parseAsSort(["startedAt", "username"], "startedAt.desc"),
  /** Customer name, service username or address. */
  q: parseAsSearchText,
  /** The admin's reseller filter; a reseller's own list ignores it. */
  reseller: parseAsId,
};

/** Network › Disconnects: the Disconnect/CoA outbox, newest first. */
export const disconnectListParams = {
  ...pagingParsers,
  sort: parseAsSort(["createdAt", "username", "router", "status"], "createdAt.desc"),
  /** Customer name or username, router name or address. */
  q: parseAsSearchText,
  status: parseAsOneOf(keysOf(disconnectStatusLabels)),
  /** The outcome of the last attempt. */
  outcome: parseAsOneOf(keysOf(disconnectOutcomeLabels)),
};

/** Network › Routers (NAS). */
export const routerListParams = {
  ...pagingParsers,
  sort: parseAsSort(["name", "address", "type", "coaPort"], "name.asc"),
  /** Router name or address. */
  q: parseAsSearchText,
  type: parseAsOneOf(nasTypes),
};

/**
 * A reseller's statement (keyset pages): `cursor` is an entry id from the
 * previous page (its olderCursor for "next", newerCursor for "prev");
 * `from`/`to` are inclusive days; `kinds` is `a,b`.
 */
export const statementParams = {
  from: parseAsDay,
  to: parseAsDay,
  kinds: parseAsSetOf(ledgerKinds),
  cursor: parseAsCursor,
  direction: parseAsOneOf(statementDirections).withDefault("first"),
  perPage: parseAsPerPage(50),
};

/**
 * Every list by id, for the client components (a server page passes the id,
 * a string, across the client boundary; parsers are functions and cannot
 * cross it). `position` holds the keys that say where in the list one is:
 * any filter or sort change resets them to the first page.
 */
export const urlLists = {
  packages: { params: packageListParams, position: ["page"] },
  resellers: { params: resellerListParams, position: ["page"] },
  customerDirectory: { params: customerDirectoryParams, position: ["page"] },
  customers: { params: customerListParams, position: ["page"] },
  settlements: { params: settlementListParams, position: ["page"] },
  audit: { params: auditListParams, position: ["page"] },
  onlinePayments: { params: onlinePaymentListParams, position: ["page"] },
  collections: { params: collectionListParams, position: ["page"] },
  onlineSessions: { params: onlineSessionListParams, position: ["page"] },
  disconnects: { params: disconnectListParams, position: ["page"] },
  routers: { params: routerListParams, position: ["page"] },
  statement: { params: statementParams, position: ["cursor", "direction"] },
} as const;

export type ListId = keyof typeof urlLists;
export type ListParams<L extends ListId> = (typeof urlLists)[L]["params"];
