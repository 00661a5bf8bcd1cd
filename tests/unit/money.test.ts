import { afterEach, describe, expect, it, vi } from "vitest";
import { DomainError } from "@/lib/errors";
import {
  MAX_MINOR_UNITS,
  currencyExponent,
  formatAmount,
  formatMoney,
  outstandingOf,
  parseMoney,
  toDecimalString,
  type ParseMoneyOptions,
} from "@/lib/money";

/** The error parseMoney throws for `input`, or a description of what it returned instead. */
function parseFailure(input: string, options: ParseMoneyOptions = { currency: "USD" }): DomainError | string {
  try {
    return `parsed as ${parseMoney(input, options)}`;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}

describe("parseMoney", () => {
  afterEach(() => vi.unstubAllEnvs());

  it.each([
    ["1,250.50", 125_050n],
    ["1250.50", 125_050n],
    ["1,250", 125_000n],
    ["1,250,000", 125_000_000n],
    ["0.01", 1n],
    ["0.5", 50n],
    ["7", 700n],
    ["  42.00  ", 4_200n],
  ])("reads %j in USD as %s minor units", (input, expected) => {
    expect(parseMoney(input, { currency: "USD" })).toBe(expected);
  });

  it.each([
    ["abc", "is not an amount"],
    ["1e3", "is not an amount"],
    ["1,25,0", "is not an amount"],
    ["12,50", "is not an amount"],
    ["1,2500", "is not an amount"],
    ["0,500", "is not an amount"],
    ["1 000", "is not an amount"],
    ["NaN", "is not an amount"],
    ["Infinity", "is not an amount"],
    ["-Infinity", "is not an amount"],
    ["0x10", "is not an amount"],
    ["+5", "is not an amount"],
    [".5", "is not an amount"],
    ["5.", "is not an amount"],
    ["1.2.3", "is not an amount"],
    ["$5", "is not an amount"],
    ["１２", "is not an amount"],
    ["", "Enter an amount"],
    [" ", "Enter an amount"],
    ["1.234", "USD allows at most 2 decimals"],
    ["-5", "must be positive"],
    ["0", "must be more than zero"],
    ["0.00", "must be more than zero"],
  ])("refuses %j with INVALID_AMOUNT (%s)", (input, message) => {
    const failure = parseFailure(input);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe("INVALID_AMOUNT");
    expect((failure as DomainError).message).toContain(message);
    expect((failure as DomainError).fields?.amount).toBe((failure as DomainError).message);
  });

  it("accepts a negative amount only when allowNegative is set", () => {
    expect(parseMoney("-5", { currency: "USD", allowNegative: true })).toBe(-500n);
    expect(parseMoney("-1,250.50", { currency: "USD", allowNegative: true })).toBe(-125_050n);
  });

  it("accepts zero only when allowZero is set", () => {
    expect(parseMoney("0", { currency: "USD", allowZero: true })).toBe(0n);
    expect(parseMoney("0.00", { currency: "USD", allowZero: true })).toBe(0n);
  });

  it("follows the currency's decimals: none for JPY, three for KWD", () => {
    expect(parseMoney("1,250", { currency: "JPY" })).toBe(1_250n);
    expect((parseFailure("12.5", { currency: "JPY" }) as DomainError).message).toBe("JPY has no decimals.");
    expect((parseFailure("12.0", { currency: "JPY" }) as DomainError).code).toBe("INVALID_AMOUNT");
    expect(parseMoney("12.345", { currency: "KWD" })).toBe(12_345n);
    expect(parseMoney("12.3", { currency: "KWD" })).toBe(12_300n);
    expect((parseFailure("12.3456", { currency: "KWD" }) as DomainError).message).toBe("KWD allows at most 3 decimals.");
  });

  it("accepts exactly 10^15 minor units and refuses one more, either sign", () => {
    expect(parseMoney("10,000,000,000,000.00", { currency: "USD" })).toBe(MAX_MINOR_UNITS);
    expect(parseMoney("1000000000000000", { currency: "JPY" })).toBe(MAX_MINOR_UNITS);
    expect((parseFailure("10000000000000.01") as DomainError).message).toBe("That amount is too large.");
    expect((parseFailure("1000000000000001", { currency: "JPY" }) as DomainError).message).toBe("That amount is too large.");
    expect(parseMoney("-10000000000000.00", { currency: "USD", allowNegative: true })).toBe(-MAX_MINOR_UNITS);
    expect((parseFailure("-10000000000000.01", { currency: "USD", allowNegative: true }) as DomainError).message).toBe(
      "That amount is too large.",
    );
    expect((parseFailure("99999999999999999999999999") as DomainError).message).toBe("That amount is too large.");
  });

  it("keeps every digit of the largest amounts", () => {
    expect(parseMoney("9,999,999,999,999.99", { currency: "USD" })).toBe(999_999_999_999_999n);
    expect(parseMoney("999,999,999,999.999", { currency: "KWD" })).toBe(999_999_999_999_999n);
  });

  it("uses the installation currency from LASTMILE_CURRENCY by default", () => {
    vi.stubEnv("LASTMILE_CURRENCY", "JPY");
    expect(parseMoney("1,250")).toBe(1_250n);
    expect((parseFailure("1.5", {}) as DomainError).message).toBe("JPY has no decimals.");
    vi.stubEnv("LASTMILE_CURRENCY", "USD");
    expect(parseMoney("1,250")).toBe(125_000n);
  });
});

describe("currencyExponent", () => {
  it.each([
    ["USD", 2],
    ["EUR", 2],
    ["JPY", 0],
    ["KWD", 3],
    ["BHD", 3],
  ])("%s has %i decimals", (currency, exponent) => {
    expect(currencyExponent(currency)).toBe(exponent);
  });
});

describe("formatting", () => {
  it("formats minor units with the currency via Intl", () => {
    expect(formatMoney(125_050n, "USD")).toBe("$1,250.50");
    expect(formatMoney(5n, "USD")).toBe("$0.05");
    expect(formatMoney(0n, "USD")).toBe("$0.00");
    expect(formatMoney(-125_050n, "USD")).toBe("-$1,250.50");
    expect(formatMoney(1_234n, "JPY")).toBe("¥1,234");
    expect(formatMoney(12_345n, "KWD")).toBe("KWD\u00a012.345");
    expect(formatMoney(125_050n, "EUR", "de-DE")).toBe("1.250,50\u00a0€");
  });

  it("formats huge bigints digit for digit, far past Number.MAX_SAFE_INTEGER", () => {
    expect(formatMoney(9_007_199_254_740_993n, "USD")).toBe("$90,071,992,547,409.93");
    expect(formatMoney(123_456_789_012_345_678_901_234_567_890n, "USD")).toBe("$1,234,567,890,123,456,789,012,345,678.90");
    expect(formatMoney(-123_456_789_012_345_678_901_234_567_891n, "USD")).toBe("-$1,234,567,890,123,456,789,012,345,678.91");
    expect(formatAmount(123_456_789_012_345_678_901_234_567_890n, "KWD")).toBe("123,456,789,012,345,678,901,234,567.890");
  });

  it("formats a plain grouped amount without a symbol", () => {
    expect(formatAmount(125_050n, "USD")).toBe("1,250.50");
    expect(formatAmount(7n, "USD")).toBe("0.07");
    expect(formatAmount(1_250n, "JPY")).toBe("1,250");
    expect(formatAmount(-1n, "KWD")).toBe("-0.001");
  });

  it("writes a plain decimal string exactly", () => {
    expect(toDecimalString(125_050n, "USD")).toBe("1250.50");
    expect(toDecimalString(1n, "USD")).toBe("0.01");
    expect(toDecimalString(-1n, "USD")).toBe("-0.01");
    expect(toDecimalString(0n, "USD")).toBe("0.00");
    expect(toDecimalString(1_250n, "JPY")).toBe("1250");
    expect(toDecimalString(5n, "KWD")).toBe("0.005");
    expect(toDecimalString(10n ** 30n + 1n, "USD")).toBe("10000000000000000000000000000.01");
  });

  it.each([1n, 99n, 125_050n, 999_999_999_999_999n, MAX_MINOR_UNITS, -125_050n])(
    "round-trips %s through formatAmount and parseMoney",
    (minor) => {
      expect(parseMoney(formatAmount(minor, "USD"), { currency: "USD", allowNegative: true })).toBe(minor);
    },
  );
});

describe("outstandingOf", () => {
  it("is what the reseller owes: max(0, -balance)", () => {
    expect(outstandingOf(-2_500n)).toBe(2_500n);
    expect(outstandingOf(-1n)).toBe(1n);
    expect(outstandingOf(0n)).toBe(0n);
    expect(outstandingOf(1n)).toBe(0n);
    expect(outstandingOf(3_000n)).toBe(0n);
    expect(outstandingOf(-(10n ** 20n))).toBe(10n ** 20n);
  });
});
