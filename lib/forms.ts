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

/** A calendar date as YYYY-MM-DD that exists (JavaScript's Date.parse rolls 2026-02-30 over to March; PostgreSQL refuses it). */
export const zDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-01-31.")
  .refine((v) => {
    const time = Date.parse(`${v}T00:00:00Z`);
    return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === v;
  }, "That date does not exist.");

/**
 * A whole number typed in ASCII digits (surrounding spaces allowed), within
 * [min, max]. Stricter than z.coerce.number, which takes "0x10", "1e3" and
 * "" (as 0).
 */
export function zWholeNumber(messages: { required: string; whole: string }, min: number, max: number, range?: { min?: string; max?: string }) {
  return z
    .string({ error: messages.required })
    .trim()
    .min(1, messages.required)
    .regex(/^\d{1,15}$/, messages.whole)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, range?.min ?? `At least ${min}.`)
        .max(max, range?.max ?? `At most ${max}.`),
    );
}
