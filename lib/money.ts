import { DomainError, fieldMessages } from "./errors";
import { installCurrency } from "./config";

/** The largest amount (in minor units) the product accepts anywhere. */
export const MAX_MINOR_UNITS = 10n ** 15n;

/**
 * Building an Intl.NumberFormat costs about a hundred times what formatting
 * with one does, and a page formats hundreds of amounts: formatters are made
 * once per (kind, locale, currency). The keys come from the install's
 * currency and the code's locales; the bound only guards against a caller
 * that would pass many different ones.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const exponents = new Map<string, number>();
const NUMBER_FORMATS_KEPT = 64;
function kept<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make(); // an unknown currency or locale throws here, before anything is kept
    if (cache.size >= NUMBER_FORMATS_KEPT) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/** Number of decimals the currency has (USD 2, JPY 0, KWD 3), per ICU. */
export function currencyExponent(currency: string = installCurrency()): number {
  return kept(exponents, currency, () => new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2);
}

// Digits with optional correct thousands grouping ("1,250,000"), then an optional fraction.
// A grouped number never starts with 0: "0,500" could mean a half in a decimal-comma locale.
const AMOUNT_PATTERN = /^(-)?([1-9]\d{0,2}(?:,\d{3})+|\d+)(?:\.(\d+))?$/;

export type ParseMoneyOptions = { currency?: string; allowNegative?: boolean; allowZero?: boolean };

/**
 * Strictly parses an amount typed in major units ("1,250.50") into minor units.
 * Refuses anything ambiguous rather than guessing: exponents, stray separators,
 * more decimals than the currency has, NaN/Infinity, and amounts past 10^15.
 */
export function parseMoney(input: string, options: ParseMoneyOptions = {}): bigint {
  const currency = options.currency ?? installCurrency();
  const exponent = currencyExponent(currency);
  const text = input.trim();
  const fail = (message: string): never => {
    throw new DomainError("INVALID_AMOUNT", message, { amount: message });
  };
  if (text === "") fail("Enter an amount.");
  const match = AMOUNT_PATTERN.exec(text);
  // The typed text is quoted back only when short: the message never carries a pasted page.
  if (!match) fail(text.length <= 24 ? `"${text}" is not an amount. Use digits like 1,250.50.` : "That is not an amount. Use digits like 1,250.50.");
  const [, minus, whole = "0", fraction = ""] = match!;
  if (fraction.length > exponent) {
    fail(exponent === 0 ? `${currency} has no decimals.` : `${currency} allows at most ${exponent} decimals.`);
  }
  const digits = whole.replaceAll(",", "") + fraction.padEnd(exponent, "0");
  if (digits.replace(/^0+/, "").length > 16) fail(fieldMessages.amountTooLarge);
  let value = BigInt(digits);
  if (minus) value = -value;
  if (value > MAX_MINOR_UNITS || value < -MAX_MINOR_UNITS) fail(fieldMessages.amountTooLarge);
  if (value < 0n && !options.allowNegative) fail("The amount must be positive.");
  if (value === 0n && !options.allowZero) fail(fieldMessages.amountNotPositive);
  return value;
}

/** Minor units to a plain decimal string ("1250.50"), exact for any bigint. */
export function toDecimalString(minor: bigint, currency: string = installCurrency()): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, "0");
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** Formats minor units for display with the currency, e.g. "$1,250.50". */
export function formatMoney(minor: bigint, currency: string = installCurrency(), locale = "en-US"): string {
  const format = kept(numberFormats, `currency|${locale}|${currency}`, () => new Intl.NumberFormat(locale, { style: "currency", currency }));
  // Intl formats decimal strings exactly, so no float ever carries the amount.
  return format.format(toDecimalString(minor, currency) as unknown as number);
}

/** Formats minor units as a grouped number without a symbol, e.g. "1,250.50". */
export function formatAmount(minor: bigint, currency: string = installCurrency(), locale = "en-US"): string {
  const exponent = currencyExponent(currency);
  const format = kept(numberFormats, `amount|${locale}|${exponent}`, () => new Intl.NumberFormat(locale, { minimumFractionDigits: exponent, maximumFractionDigits: exponent }));
  return format.format(toDecimalString(minor, currency) as unknown as number);
}

/** What a reseller owes: max(0, -balance). */
export function outstandingOf(balance: bigint): bigint {
  return balance < 0n ? -balance : 0n;
}
