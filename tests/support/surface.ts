/**
 * The registry of the product's surface: every server action (every export of
 * a "use server" file under app/) and every route handler (every HTTP method
 * exported by an app/**\/route.ts), with who may call it and the shape of its
 * input. tests/unit/surface-registry.test.ts scans app/ and fails when an
 * action or route is missing here (or listed here but gone);
 * tests/integration/hostile-input.test.ts throws hostile requests at each one.
 *
 * A new action is one row in `actions` (and, for a new file, one line in
 * `actionModules`); a new route is one row in `routes`.
 */
import { randomUUID } from "node:crypto";
import type { Access } from "@/lib/auth/guard";

/** The records the hostile-input test builds once: ids a form may name. */
export type Side = {
  resellerId: string;
  areaId: string;
  /** A package in this reseller's scope. */
  packageId: string;
  customerId: string;
  /** A customer never activated. */
  spareCustomerId: string;
  subscriptionId: string;
  paymentId: string;
  /** A pending online payment. */
  onlinePaymentId: string;
  /** A ledger entry that can be reversed. */
  entryId: number;
  userId: string;
  /** An API token of its sign-in user. */
  tokenId: string;
  /** An idempotency key this reseller's collect-payment already used. */
  usedKey: string;
  /** The key its pending online payment was started with (online payments keep their own keys). */
  onlinePaymentKey: string;
};

export type World = {
  /** The reseller the portal actions run as (A), the other reseller (B), and one the admin's commands change (C). */
  A: Side;
  B: Side;
  C: Side;
  /** An active package in nobody's scope. */
  packageOutOfScope: string;
  /** A router (nas row). */
  routerId: number;
};

/**
 * What a field holds, which decides the hostile values thrown at it:
 * `id` a uuid naming a record (`scoped` says whose: another reseller's id of
 * that kind is tried too), `key` an idempotency key, `money` / `moneyOrZero`
 * an amount, `count` a whole number, `choice` one of a fixed set, `text` /
 * `optionalText` free text (HTML or SQL-looking text is a legal value there,
 * stored as typed), `username`, `email`, `password`, `date`, `ids` a checkbox
 * group of uuids. `checkbox` and `permissions` take any value (anything but
 * "on" is off; unknown permissions are dropped), so no value is hostile to them.
 */
export type FieldKind =
  | "id"
  | "optionalId"
  | "key"
  | "money"
  | "moneyOrZero"
  | "optionalMoney"
  | "count"
  | "optionalCount"
  | "choice"
  | "optionalChoice"
  | "text"
  | "optionalText"
  | "username"
  | "email"
  | "optionalEmail"
  | "password"
  | "optionalPassword"
  | "optionalDate"
  | "optionalFutureDate"
  | "ids"
  | "checkbox"
  | "permissions";

export type Scoped = "customer" | "subscription" | "payment" | "onlinePayment" | "area" | "package" | "token";

export type Field = FieldKind | { kind: FieldKind; scoped: Scoped };

export type FormValues = Record<string, string | string[]>;

export type ActionEntry = {
  access: Access;
  /** Every field the form has, by name (`rate:<id>`-style dynamic names as their pattern's example). */
  fields: Record<string, Field>;
  /** A form this action accepts in the test's world; each hostile case changes one field of it. */
  valid: (w: World) => FormValues;
  /** Keys another command (or reseller) already used, where they are not the shared idempotency keys. */
  forgedKeys?: (w: World) => { label: string; value: string }[];
};

const key = () => randomUUID();
const admin = { role: "admin" } as const;
const reseller = (permission: Extract<Access, { role: "reseller" }>["permission"]) => ({ role: "reseller", permission }) as const;
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** The action modules, by file (loaded only by the integration test). */
export const actionModules: Record<string, () => Promise<Record<string, unknown>>> = {
  "app/admin/accounts/online-payments/actions.ts": () => import("@/app/admin/accounts/online-payments/actions"),
  "app/admin/api-tokens/actions.ts": () => import("@/app/admin/api-tokens/actions"),
  "app/admin/network/routers/actions.ts": () => import("@/app/admin/network/routers/actions"),
  "app/portal/api-tokens/actions.ts": () => import("@/app/portal/api-tokens/actions"),
  "app/admin/packages/actions.ts": () => import("@/app/admin/packages/actions"),
  "app/admin/resellers/actions.ts": () => import("@/app/admin/resellers/actions"),
  "app/admin/resellers/money-actions.ts": () => import("@/app/admin/resellers/money-actions"),
  "app/portal/customers/actions.ts": () => import("@/app/portal/customers/actions"),
  "app/portal/customers/billing-actions.ts": () => import("@/app/portal/customers/billing-actions"),
  "app/portal/pay-online/actions.ts": () => import("@/app/portal/pay-online/actions"),
};

const packageFields = {
  name: "text",
  customerPrice: "money",
  validityDays: "count",
  downloadMbps: "count",
  uploadMbps: "count",
  framedPool: "optionalText",
  simultaneousUse: "optionalCount",
  active: "checkbox",
} as const;
const packageForm = () => ({ name: unique("Package"), customerPrice: "20.00", validityDays: "30", downloadMbps: "20", uploadMbps: "10", framedPool: "pool-1", simultaneousUse: "2", active: "on" });
const customerFields = { username: "username", name: "text", phone: "optionalText", address: "optionalText", areaId: { kind: "id", scoped: "area" } } as const;
const customerForm = (w: World) => ({ username: unique("user"), name: "Hostile Test Customer", phone: "+1 555 0100", address: "1 Main St", areaId: w.A.areaId });
const userFields = { userName: "text", userEmail: "email", password: "password" } as const;
const userForm = () => ({ userName: "Sign-in User", userEmail: `${unique("user")}@example.test`, password: "a long enough password" });

const tokenFields = { name: "text", scopes: "permissions", expiresOn: "optionalFutureDate", rateLimit: "optionalCount" } as const;
const tokenForm = () => ({ name: unique("Token"), scopes: ["customers.view"], expiresOn: "2099-12-31", rateLimit: "100" });

const routerFields = { name: "text", address: "text", type: "choice", coaPort: "optionalCount", description: "optionalText" } as const;
const routerForm = () => ({ name: unique("Router"), address: `10.${n()}.${n()}.${n()}`, type: "mikrotik", coaPort: "3799", description: "test router" });
const n = () => Math.floor(Math.random() * 250) + 1;

/** Every server action, as `file#export`. */
export const actions: Record<string, ActionEntry> = {
  "app/admin/network/routers/actions.ts#createRouterAction": {
    access: admin,
    fields: { ...routerFields, secret: "password" },
    valid: () => ({ ...routerForm(), secret: "a-long-shared-secret" }),
  },
  "app/admin/network/routers/actions.ts#updateRouterAction": {
    access: admin,
    fields: { routerId: "count", ...routerFields, secret: "optionalPassword" },
    valid: (w) => ({ routerId: String(w.routerId), ...routerForm(), secret: "another-long-secret" }),
  },
  "app/portal/customers/actions.ts#resetServicePasswordAction": {
    access: reseller("customers.edit"),
    fields: { customerId: { kind: "id", scoped: "customer" } },
    valid: (w) => ({ customerId: w.A.customerId }),
  },
  "app/admin/api-tokens/actions.ts#issueTokenAction": {
    access: admin,
    fields: { userId: "id", ...tokenFields, idempotencyKey: "key" },
    valid: (w) => ({ userId: w.C.userId, ...tokenForm(), idempotencyKey: key() }),
  },
  "app/admin/api-tokens/actions.ts#revokeTokenAction": {
    access: admin,
    fields: { tokenId: "id" },
    valid: (w) => ({ tokenId: w.C.tokenId }),
  },
  "app/portal/api-tokens/actions.ts#issueOwnTokenAction": {
    access: reseller("api.tokens"),
    fields: { ...tokenFields, idempotencyKey: "key" },
    valid: () => ({ ...tokenForm(), idempotencyKey: key() }),
  },
  "app/portal/api-tokens/actions.ts#revokeOwnTokenAction": {
    access: reseller("api.tokens"),
    fields: { tokenId: { kind: "id", scoped: "token" } },
    valid: (w) => ({ tokenId: w.A.tokenId }),
  },
  "app/admin/accounts/online-payments/actions.ts#paymentSettingsAction": {
    access: admin,
    fields: { onlineEnabled: "checkbox", minAmount: "money", maxAmount: "money" },
    valid: () => ({ onlineEnabled: "on", minAmount: "1.00", maxAmount: "100000.00" }),
  },
  "app/admin/accounts/online-payments/actions.ts#checkWithGatewayAction": {
    access: admin,
    fields: { paymentId: "optionalId" },
    valid: (w) => ({ paymentId: w.C.onlinePaymentId }),
  },
  "app/admin/packages/actions.ts#createPackageAction": {
    access: admin,
    fields: { ...packageFields, idempotencyKey: "key" },
    valid: () => ({ ...packageForm(), idempotencyKey: key() }),
  },
  "app/admin/packages/actions.ts#updatePackageAction": {
    access: admin,
    fields: { packageId: "id", ...packageFields },
    valid: (w) => ({ packageId: w.C.packageId, ...packageForm() }),
  },
  "app/admin/resellers/actions.ts#createResellerAction": {
    access: admin,
    fields: {
      name: "text",
      contactName: "optionalText",
      phone: "optionalText",
      email: "optionalEmail",
      permissions: "permissions",
      areaIds: "ids",
      type: "choice",
      collectionLimit: "optionalMoney",
      ...userFields,
      idempotencyKey: "key",
      "rate:<packageId>": "optionalMoney",
    },
    valid: (w) => ({ name: unique("Reseller"), type: "postpaid", collectionLimit: "100.00", areaIds: [w.C.areaId], permissions: ["customers.view"], [`rate:${w.C.packageId}`]: "5.00", ...userForm(), idempotencyKey: key() }),
  },
  "app/admin/resellers/actions.ts#updateResellerAction": {
    access: admin,
    fields: { resellerId: "id", name: "text", contactName: "optionalText", phone: "optionalText", email: "optionalEmail" },
    valid: (w) => ({ resellerId: w.C.resellerId, name: unique("Renamed"), contactName: "Someone", phone: "+1 555 0101", email: "c@example.test" }),
  },
  "app/admin/resellers/actions.ts#resellerScopeAction": {
    access: admin,
    fields: { resellerId: "id", permissions: "permissions", areaIds: "ids", "rate:<packageId>": "optionalMoney" },
    valid: (w) => ({ resellerId: w.C.resellerId, permissions: ["customers.view", "payments.collect"], areaIds: [w.C.areaId], [`rate:${w.C.packageId}`]: "6.00" }),
  },
  "app/admin/resellers/actions.ts#resellerStatusAction": {
    access: admin,
    fields: { resellerId: "id", status: "choice" },
    valid: (w) => ({ resellerId: w.C.resellerId, status: "active" }),
  },
  "app/admin/resellers/actions.ts#addResellerUserAction": {
    access: admin,
    fields: { resellerId: "id", ...userFields, idempotencyKey: "key" },
    valid: (w) => ({ resellerId: w.C.resellerId, ...userForm(), idempotencyKey: key() }),
  },
  "app/admin/resellers/actions.ts#userDisabledAction": {
    access: admin,
    fields: { userId: "id", disabled: "choice" },
    valid: (w) => ({ userId: w.C.userId, disabled: "false" }),
  },
  "app/admin/resellers/money-actions.ts#addBalanceAction": {
    access: admin,
    fields: { resellerId: "id", amount: "money", method: "choice", reference: "optionalText", note: "optionalText", idempotencyKey: "key" },
    valid: (w) => ({ resellerId: w.C.resellerId, amount: "10.00", method: "cash", reference: "REF-1", note: "a note", idempotencyKey: key() }),
  },
  "app/admin/resellers/money-actions.ts#cashReceivedAction": {
    access: admin,
    fields: { resellerId: "id", amount: "money", method: "choice", reference: "optionalText", note: "optionalText", source: "optionalChoice", receivedOn: "optionalDate", idempotencyKey: "key" },
    valid: (w) => ({ resellerId: w.C.resellerId, amount: "1.00", method: "bank_transfer", source: "accounts_receivable", receivedOn: "2026-01-02", idempotencyKey: key() }),
  },
  "app/admin/resellers/money-actions.ts#reverseEntryAction": {
    access: admin,
    fields: { entryId: "count", reason: "text", idempotencyKey: "key" },
    valid: (w) => ({ entryId: String(w.C.entryId), reason: "typed in twice", idempotencyKey: key() }),
  },
  "app/admin/resellers/money-actions.ts#collectionLimitAction": {
    access: admin,
    fields: { resellerId: "id", collectionLimit: "moneyOrZero", idempotencyKey: "key" },
    valid: (w) => ({ resellerId: w.C.resellerId, collectionLimit: "750.00", idempotencyKey: key() }),
  },
  "app/admin/resellers/money-actions.ts#resellerTypeAction": {
    access: admin,
    fields: { resellerId: "id", type: "choice", idempotencyKey: "key" },
    valid: (w) => ({ resellerId: w.C.resellerId, type: "postpaid", idempotencyKey: key() }),
  },
  "app/portal/customers/actions.ts#createCustomerAction": {
    access: reseller("customers.create"),
    fields: { ...customerFields, idempotencyKey: "key" },
    valid: (w) => ({ ...customerForm(w), idempotencyKey: key() }),
  },
  "app/portal/customers/actions.ts#updateCustomerAction": {
    access: reseller("customers.edit"),
    fields: { customerId: { kind: "id", scoped: "customer" }, ...customerFields },
    valid: (w) => ({ customerId: w.A.customerId, ...customerForm(w) }),
  },
  "app/portal/customers/actions.ts#customerStatusAction": {
    access: reseller("customers.suspend"),
    fields: { customerId: { kind: "id", scoped: "customer" }, status: "choice", reason: "optionalText" },
    valid: (w) => ({ customerId: w.A.customerId, status: "active", reason: "paid up" }),
  },
  "app/portal/customers/actions.ts#collectPaymentAction": {
    access: reseller("payments.collect"),
    fields: { customerId: { kind: "id", scoped: "customer" }, amount: "money", method: "choice", reference: "optionalText", note: "optionalText", idempotencyKey: "key" },
    valid: (w) => ({ customerId: w.A.customerId, amount: "7.00", method: "cash", idempotencyKey: key() }),
  },
  "app/portal/customers/billing-actions.ts#activateAction": {
    access: reseller("subscriptions.activate"),
    fields: { customerId: { kind: "id", scoped: "customer" }, packageId: { kind: "id", scoped: "package" }, idempotencyKey: "key" },
    // A's second customer has never been activated (the world keeps it so).
    valid: (w) => ({ customerId: w.A.spareCustomerId, packageId: w.A.packageId, idempotencyKey: key() }),
  },
  "app/portal/customers/billing-actions.ts#renewAction": {
    access: reseller("subscriptions.renew"),
    fields: { subscriptionId: { kind: "id", scoped: "subscription" }, packageId: { kind: "optionalId", scoped: "package" }, idempotencyKey: "key" },
    valid: (w) => ({ subscriptionId: w.A.subscriptionId, packageId: w.A.packageId, idempotencyKey: key() }),
  },
  "app/portal/pay-online/actions.ts#startOnlinePaymentAction": {
    access: reseller("payments.online"),
    fields: { amount: "money", idempotencyKey: "key" },
    valid: () => ({ amount: "12.00", idempotencyKey: key() }),
    forgedKeys: (w) => [
      { label: "another reseller's online payment key", value: w.B.onlinePaymentKey },
      { label: "this reseller's key for another amount", value: w.A.onlinePaymentKey },
    ],
  },
  "app/portal/pay-online/actions.ts#cancelOnlinePaymentAction": {
    access: reseller("payments.online"),
    fields: { paymentId: { kind: "id", scoped: "onlinePayment" } },
    valid: (w) => ({ paymentId: w.A.onlinePaymentId }),
  },
  "app/portal/pay-online/actions.ts#sandboxCheckoutAction": {
    access: reseller("payments.online"),
    fields: { paymentId: { kind: "id", scoped: "onlinePayment" }, choice: "choice" },
    valid: (w) => ({ paymentId: w.A.onlinePaymentId, choice: "fail" }),
  },
};

/**
 * How a route is reached: a signed-in role (and permission), an API token
 * (`token`: the /api/v1 endpoints, whose scopes and bodies are tested
 * endpoint by endpoint in their own test), or anyone (`public`, guarded otherwise).
 */
export type RouteAccess = Access | "token" | "public";

export type RouteEntry = {
  access: RouteAccess;
  /** The request URL's path (dynamic segments filled from the world) and the params Next would pass. */
  path: (w: World) => string;
  params?: (w: World) => Record<string, string | string[]>;
  /** Where the hostile cases of a route with its own protocol live (the webhook, sign-in). */
  ownTest?: string;
};

const api = "tests/integration/api-v1.test.ts (scopes, 401/403/404, hostile bodies, idempotency)";

/** Every route handler, as `file#METHOD`. */
export const routes: Record<string, RouteEntry> = {
  "app/api/v1/customers/[id]/activations/route.ts#POST": { access: "token", path: (w) => `/api/v1/customers/${w.A.customerId}/activations`, params: (w) => ({ id: w.A.customerId }), ownTest: api },
  "app/api/v1/customers/[id]/payments/route.ts#POST": { access: "token", path: (w) => `/api/v1/customers/${w.A.customerId}/payments`, params: (w) => ({ id: w.A.customerId }), ownTest: api },
  "app/api/v1/customers/[id]/reactivate/route.ts#POST": { access: "token", path: (w) => `/api/v1/customers/${w.A.customerId}/reactivate`, params: (w) => ({ id: w.A.customerId }), ownTest: api },
  "app/api/v1/customers/[id]/route.ts#GET": { access: "token", path: (w) => `/api/v1/customers/${w.A.customerId}`, params: (w) => ({ id: w.A.customerId }), ownTest: api },
  "app/api/v1/customers/[id]/route.ts#PATCH": { access: "token", path: (w) => `/api/v1/customers/${w.A.customerId}`, params: (w) => ({ id: w.A.customerId }), ownTest: api },
  "app/api/v1/customers/[id]/suspend/route.ts#POST": { access: "token", path: (w) => `/api/v1/customers/${w.A.customerId}/suspend`, params: (w) => ({ id: w.A.customerId }), ownTest: api },
  "app/api/v1/customers/route.ts#GET": { access: "token", path: () => "/api/v1/customers", ownTest: api },
  "app/api/v1/customers/route.ts#POST": { access: "token", path: () => "/api/v1/customers", ownTest: api },
  "app/api/v1/me/route.ts#GET": { access: "token", path: () => "/api/v1/me", ownTest: api },
  "app/api/v1/online-payments/route.ts#GET": { access: "token", path: () => "/api/v1/online-payments", ownTest: api },
  "app/api/v1/online-payments/route.ts#POST": { access: "token", path: () => "/api/v1/online-payments", ownTest: api },
  "app/api/v1/packages/route.ts#GET": { access: "token", path: () => "/api/v1/packages", ownTest: api },
  "app/api/v1/quotes/route.ts#GET": { access: "token", path: () => "/api/v1/quotes", ownTest: api },
  "app/api/v1/receivables/route.ts#GET": { access: "token", path: () => "/api/v1/receivables", ownTest: api },
  "app/api/v1/resellers/[id]/balance/route.ts#POST": { access: "token", path: (w) => `/api/v1/resellers/${w.B.resellerId}/balance`, params: (w) => ({ id: w.B.resellerId }), ownTest: api },
  "app/api/v1/resellers/[id]/cash-received/route.ts#POST": { access: "token", path: (w) => `/api/v1/resellers/${w.B.resellerId}/cash-received`, params: (w) => ({ id: w.B.resellerId }), ownTest: api },
  "app/api/v1/resellers/route.ts#GET": { access: "token", path: () => "/api/v1/resellers", ownTest: api },
  "app/api/v1/statement/route.ts#GET": { access: "token", path: () => "/api/v1/statement", ownTest: api },
  "app/api/v1/subscriptions/[id]/renewals/route.ts#POST": { access: "token", path: (w) => `/api/v1/subscriptions/${w.A.subscriptionId}/renewals`, params: (w) => ({ id: w.A.subscriptionId }), ownTest: api },
  "app/api/v1/openapi.json/route.ts#GET": { access: "public", path: () => "/api/v1/openapi.json" },
  "app/docs/api/route.ts#GET": { access: "public", path: () => "/docs/api" },
  "app/docs/api/init.js/route.ts#GET": { access: "public", path: () => "/docs/api/init.js" },
  "app/docs/api/standalone.js/route.ts#GET": { access: "public", path: () => "/docs/api/standalone.js" },

  "app/admin/accounts/online-payments/export/route.ts#GET": { access: admin, path: () => "/admin/accounts/online-payments/export" },
  "app/admin/accounts/receivable/export/route.ts#GET": { access: admin, path: () => "/admin/accounts/receivable/export" },
  "app/admin/audit/export/route.ts#GET": { access: admin, path: () => "/admin/audit/export" },
  "app/admin/customers/export/route.ts#GET": { access: admin, path: () => "/admin/customers/export" },
  "app/admin/payments/export/route.ts#GET": { access: admin, path: () => "/admin/payments/export" },
  "app/admin/resellers/[id]/statement/export/route.ts#GET": {
    access: admin,
    path: (w) => `/admin/resellers/${w.B.resellerId}/statement/export`,
    params: (w) => ({ id: w.B.resellerId }),
  },
  "app/admin/resellers/export/route.ts#GET": { access: admin, path: () => "/admin/resellers/export" },
  "app/portal/collections/export/route.ts#GET": { access: reseller("payments.collect"), path: () => "/portal/collections/export" },
  "app/portal/customers/export/route.ts#GET": { access: reseller("customers.view"), path: () => "/portal/customers/export" },
  "app/portal/statement/export/route.ts#GET": { access: reseller("finance.view"), path: () => "/portal/statement/export" },
  "app/home/route.ts#GET": { access: "public", path: () => "/home" },
  "app/api/payments/stripe/webhook/route.ts#POST": {
    access: "public",
    path: () => "/api/payments/stripe/webhook",
    ownTest: "tests/integration/online-payments-webhook.test.ts (signature, size) and the hostile bodies here",
  },
  "app/api/auth/[...nextauth]/route.ts#GET": {
    access: "public",
    path: () => "/api/auth/csrf",
    params: () => ({ nextauth: ["csrf"] }),
    ownTest: "tests/integration/sign-in-route.test.ts",
  },
  "app/api/auth/[...nextauth]/route.ts#POST": {
    access: "public",
    path: () => "/api/auth/callback/credentials",
    params: () => ({ nextauth: ["callback", "credentials"] }),
    ownTest: "tests/integration/sign-in-route.test.ts",
  },
};
