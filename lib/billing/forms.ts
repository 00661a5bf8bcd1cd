import { z } from "zod";
import { cashSource, paymentMethod, resellerType } from "@/db/schema";
import { fieldMessages } from "@/lib/errors";
import { zDate, zIdempotencyKey, zMoney, zOptionalText, zWholeNumber } from "@/lib/forms";

/** Form schemas for the admin's money commands; the action adds nothing but the actor. */
export const addBalanceForm = z.object({
  resellerId: z.string().uuid("Choose a reseller."),
  amount: zMoney(),
  method: z.enum(paymentMethod.enumValues, { error: "Choose how the money came in." }),
  reference: zOptionalText(100),
  note: zOptionalText(),
  idempotencyKey: zIdempotencyKey,
});

export const cashReceivedForm = addBalanceForm.extend({
  source: z.enum(cashSource.enumValues.filter((s) => s !== "online_payment") as ["reseller_action", "accounts_receivable"]).default("reseller_action"),
  receivedOn: zDate.refine((v) => v <= new Date().toISOString().slice(0, 10), "The date received cannot be in the future.").optional(),
});

export const reverseEntryForm = z.object({
  entryId: zWholeNumber({ required: "Choose the entry to reverse.", whole: "Choose the entry to reverse." }, 1, Number.MAX_SAFE_INTEGER),
  reason: z.string().trim().min(3, fieldMessages.reversalReason).max(500),
  idempotencyKey: zIdempotencyKey,
});

export const collectionLimitForm = z.object({
  resellerId: z.string().uuid(),
  collectionLimit: zMoney({ allowZero: true }),
  idempotencyKey: zIdempotencyKey,
});

export const resellerTypeForm = z.object({
  resellerId: z.string().uuid(),
  type: z.enum(resellerType.enumValues),
  idempotencyKey: zIdempotencyKey,
});

/** Portal: activate a package for one of the reseller's customers (reseller id comes from the session). */
export const activateForm = z.object({
  customerId: z.string().uuid("Choose a customer."),
  packageId: z.string({ error: "Choose a package." }).uuid("Choose a package."),
  idempotencyKey: zIdempotencyKey,
});

/** Portal: renew a subscription, optionally onto another package in scope. */
export const renewForm = z.object({
  subscriptionId: z.string().uuid("Choose the subscription to renew."),
  packageId: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.string().uuid("Choose a package.").optional()),
  idempotencyKey: zIdempotencyKey,
});
