import { z } from "zod";
import { customerStatus, ledgerKind, onlinePaymentStatus, paymentMethod, resellerStatus, resellerType } from "@/db/schema";
import { addBalanceForm, cashReceivedForm } from "@/lib/billing/forms";
import { zOptionalText } from "@/lib/forms";
import { payOnlineForm } from "@/lib/payments/forms";
import { customerForm } from "@/lib/portal/customer-commands";
import { collectPaymentForm } from "@/lib/portal/payments";
import { customerExpiryFilters } from "@/lib/portal/expiry";

// The API's request and response shapes. Request bodies are the very form
// schemas the portal and the admin console validate with (lib/*/forms), made
// strict (an unknown field is refused) and without the idempotency key (it
// travels in the Idempotency-Key header). The OpenAPI document (./openapi) is
// generated from these schemas, so the document and the checks cannot differ.
// Money is always a decimal string in the install's currency ("12.50"), in
// requests and responses: never a JSON number, so nothing passes through a float.

const id = z.string().uuid().meta({ example: "3f1c2a9e-8b7d-4c6e-9a1b-2d3e4f5a6b7c" });
const money = z.string().regex(/^-?\d+(\.\d+)?$/).meta({ description: "An amount in major units as a decimal string.", example: "12.50" });
const currency = z.string().regex(/^[A-Z]{3}$/).meta({ example: "USD" });
const instant = z.string().meta({ format: "date-time", example: "2026-11-25T10:00:00.000Z" });

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

/** A path id; anything not shaped like one is simply not found (404), never a validation error. */
export const idParams = z.object({ id: z.string().meta({ description: "The record's id (a UUID)." }) });

/** Cursor pagination: newest first; `starting_after` is the last id of the previous page. */
const paging = {
  limit: z.coerce.number().int("Use a whole number.").min(1, "Use 1 to 100.").max(100, "Use 1 to 100.").default(25).meta({ description: "Rows per page, 1 to 100." }),
  starting_after: z.string().max(64).optional().meta({ description: "The `next_cursor` of the previous page." }),
};
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.");
const search = z.string().trim().max(200, "Keep the search under 200 characters.").optional();

export const customerListQuery = z
  .object({
    ...paging,
    q: search.meta({ description: "Name, username or phone contains." }),
    area: z.string().uuid("Use an area id.").optional(),
    status: z.enum(customerStatus.enumValues).optional(),
    expiry: z.enum(customerExpiryFilters).optional(),
  })
  .strict();

export const statementQuery = z
  .object({
    limit: paging.limit,
    starting_after: z.coerce.number().int().positive().optional().meta({ description: "The `next_cursor` of the previous page (an entry id)." }),
    from: day.optional(),
    to: day.optional(),
    kinds: z
      .string()
      .optional()
      .transform((v) => (v ? v.split(",").map((k) => k.trim()) : undefined))
      .pipe(z.array(z.enum(ledgerKind.enumValues)).optional())
      .meta({ description: "Comma-separated ledger kinds." }),
  })
  .strict();

export const onlinePaymentListQuery = z
  .object({ ...paging, status: z.enum(onlinePaymentStatus.enumValues).optional(), from: day.optional(), to: day.optional() })
  .strict();

export const resellerListQuery = z
  .object({ ...paging, q: search, type: z.enum(resellerType.enumValues).optional(), status: z.enum(resellerStatus.enumValues).optional() })
  .strict();

export const quoteQuery = z
  .object({ customer: z.string().meta({ description: "The customer's id." }), package: z.string().optional().meta({ description: "A package id (default: the current package on a renewal)." }) })
  .strict();

// ---------------------------------------------------------------------------
// Request bodies
// ---------------------------------------------------------------------------

export const createCustomerBody = customerForm.strict();
export const updateCustomerBody = customerForm.partial().strict();
export const statusChangeBody = z.object({ reason: zOptionalText(500) }).strict();
export const activationBody = z.object({ packageId: z.string({ error: "Choose a package." }).uuid("Choose a package.") }).strict();
export const renewalBody = z.object({ packageId: z.string().uuid("Choose a package.").optional() }).strict();
export const collectPaymentBody = collectPaymentForm.omit({ customerId: true, idempotencyKey: true }).strict();
export const startOnlinePaymentBody = payOnlineForm.omit({ idempotencyKey: true }).strict();
export const addBalanceBody = addBalanceForm.omit({ resellerId: true, idempotencyKey: true }).strict();
export const cashReceivedBody = cashReceivedForm.omit({ resellerId: true, idempotencyKey: true }).strict();

// ---------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------

export const position = z
  .object({
    type: z.enum(resellerType.enumValues),
    status: z.enum(resellerStatus.enumValues),
    balance: money,
    outstanding: money,
    collectionLimit: money,
    currency,
  })
  .meta({ id: "Position" });

export const meResponse = z
  .object({
    user: z.object({ id, email: z.string(), name: z.string(), role: z.enum(["admin", "reseller"]) }),
    token: z.object({ id, name: z.string(), prefix: z.string(), scopes: z.array(z.string()) }),
    reseller: z.object({ id, name: z.string() }).nullable(),
    position: position.nullable().meta({ description: "The reseller's balance, outstanding and limit (null without finance.view, and for admin tokens)." }),
  })
  .meta({ id: "Me" });

export const packageItem = z
  .object({ id, name: z.string(), rate: money, customerPrice: money, currency, validityDays: z.number().int(), downloadMbps: z.number().int(), uploadMbps: z.number().int() })
  .meta({ id: "Package" });

export const customerItem = z
  .object({
    id,
    username: z.string(),
    name: z.string(),
    phone: z.string().nullable(),
    address: z.string().nullable().optional(),
    areaId: id,
    areaName: z.string(),
    status: z.enum(customerStatus.enumValues),
    expiresAt: instant.nullable(),
    expiry: z.enum(customerExpiryFilters),
    createdAt: instant,
  })
  .meta({ id: "Customer" });

export const subscriptionItem = z
  .object({
    id,
    kind: z.enum(["activation", "renewal"]),
    packageId: id,
    packageName: z.string(),
    startsAt: instant,
    expiresAt: instant,
    priceCharged: money,
    customerPrice: money,
    reversedAt: instant.nullable(),
    createdAt: instant,
  })
  .meta({ id: "Subscription" });

export const receiptItem = z
  .object({ id, receiptNumber: z.number().int(), customerId: id, amount: money, currency, method: z.enum(paymentMethod.enumValues), reference: z.string().nullable(), note: z.string().nullable(), createdAt: instant })
  .meta({ id: "CustomerPayment" });

export const customerDetail = customerItem
  .extend({ currentSubscription: subscriptionItem.nullable(), subscriptions: z.array(subscriptionItem), payments: z.array(receiptItem) })
  .meta({ id: "CustomerDetail" });

export const chargeResult = z
  .object({
    subscriptionId: id,
    entryId: z.number().int(),
    startsAt: instant,
    expiresAt: instant,
    priceCharged: money,
    balanceBefore: money,
    balanceAfter: money,
    outstandingBefore: money,
    outstandingAfter: money,
    currency,
  })
  .meta({ id: "Charge" });

export const postingResult = z
  .object({ resellerId: id, entryId: z.number().int(), balanceBefore: money, balanceAfter: money, outstandingBefore: money, outstandingAfter: money, currency })
  .meta({ id: "Posting" });

const quoteOption = z.object({
  packageId: id,
  name: z.string(),
  validityDays: z.number().int(),
  rate: money,
  customerPrice: money,
  startsAt: instant,
  expiresAt: instant,
  balanceAfter: money,
  outstandingAfter: money,
  allowed: z.boolean(),
  refusal: z.object({ code: z.string(), detail: z.string() }).nullable(),
});

export const quoteResponse = z
  .object({
    customerId: id,
    kind: z.enum(["activation", "renewal"]),
    renewsSubscriptionId: id.nullable(),
    position,
    options: z.array(quoteOption),
    selected: quoteOption.nullable(),
  })
  .meta({ id: "Quote" });

export const statementEntry = z
  .object({
    id: z.number().int(),
    kind: z.enum(ledgerKind.enumValues),
    amount: money,
    balanceAfter: money,
    note: z.string().nullable(),
    method: z.enum(paymentMethod.enumValues).nullable(),
    customerId: id.nullable(),
    subscriptionId: id.nullable(),
    createdAt: instant,
  })
  .meta({ id: "StatementEntry" });

export const onlinePaymentItem = z
  .object({
    id,
    resellerId: id,
    resellerName: z.string(),
    status: z.enum(onlinePaymentStatus.enumValues),
    amount: money,
    currency,
    gatewayMode: z.enum(["live", "test", "sandbox"]),
    checkoutSessionId: z.string().nullable(),
    ledgerEntryId: z.number().int().nullable(),
    reason: z.string().nullable(),
    createdAt: instant,
    settledAt: instant.nullable(),
  })
  .meta({ id: "OnlinePayment" });

export const startedOnlinePayment = z.object({ onlinePaymentId: id, checkoutUrl: z.string() }).meta({ id: "StartedOnlinePayment" });

export const resellerItem = z
  .object({
    id,
    name: z.string(),
    type: z.enum(resellerType.enumValues),
    status: z.enum(resellerStatus.enumValues),
    balance: money,
    outstanding: money,
    collectionLimit: money,
    currency,
    customers: z.number().int(),
    createdAt: instant,
  })
  .meta({ id: "Reseller" });

const aging = { days0to30: money, days31to60: money, days61to90: money, days90plus: money };
export const receivablesResponse = z
  .object({
    data: z.array(
      z.object({
        resellerId: id,
        name: z.string(),
        type: z.enum(resellerType.enumValues),
        status: z.enum(resellerStatus.enumValues),
        outstanding: money,
        collectionLimit: money,
        percentUsed: z.number().nullable(),
        lastPaymentAt: instant.nullable(),
        currency,
        ...aging,
      }),
    ),
    totals: z.object({ outstanding: money, ...aging }),
  })
  .meta({ id: "Receivables" });

/** A page of a list: newest first; pass `next_cursor` as `starting_after` for the next page. */
export function listOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ data: z.array(item), has_more: z.boolean(), next_cursor: z.string().nullable() }).meta({ id: `${name}List` });
}

export const statementResponse = z
  .object({
    data: z.array(statementEntry),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
    openingBalance: money,
    closingBalance: money,
    currentBalance: money,
    currency,
  })
  .meta({ id: "Statement" });

/** RFC 9457 problem details with the domain code and per-field messages. */
export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ description: "Stable machine-readable code (e.g. INSUFFICIENT_BALANCE, VALIDATION_FAILED, IDEMPOTENCY_CONFLICT)." }),
    fields: z.record(z.string(), z.string()).optional().meta({ description: "Per-field messages, keyed by the field's path (a.b.0)." }),
    correlationId: z.string().optional(),
  })
  .meta({ id: "Problem" });
