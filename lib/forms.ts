import { z } from "zod";
import { fieldMessages, isDomainError } from "./errors";
import { parseMoney, type ParseMoneyOptions } from "./money";

/** A money amount typed in major units, parsed strictly into minor units (bigint). */
export function zMoney(options: ParseMoneyOptions = {}) {
  return z.string({ error: "Enter an amount." }).transform((value, ctx) => {
    try {
      return parseMoney(value, options);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: isDomainError(error) ? error.message : "Enter a valid amount." });
      return z.NEVER;
    }
  });
}

/** Optional free text: trimmed, empty becomes null, bounded. */
export const zOptionalText = (max = 500) =>
  z
    .string()
    .max(max, `Keep this under ${max} characters.`)
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : null));

export const zIdempotencyKey = z.string({ error: fieldMessages.idempotencyKey }).uuid(fieldMessages.idempotencyKey);

export const zDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
  .refine((v) => !Number.isNaN(Date.parse(v)), "That date does not exist.");
