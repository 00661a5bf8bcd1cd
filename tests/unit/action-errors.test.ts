import { afterEach, describe, expect, it, vi } from "vitest";
import { DomainError, errorMessages, toActionError } from "@/lib/errors";

describe("toActionError", () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows a domain error's own words and field messages", () => {
    expect(toActionError(new DomainError("INVALID_AMOUNT", "Pay between $1.00 and $5.00.", { amount: "Pay between $1.00 and $5.00." }))).toEqual({
      code: "INVALID_AMOUNT",
      message: "Pay between $1.00 and $5.00.",
      fields: { amount: "Pay between $1.00 and $5.00." },
    });
  });

  it("never passes on an unknown error's text: a generic message with a correlation id, the cause logged under that id", () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const cause = Object.assign(new Error('insert into "audit_log" ("ip_address") values ($1) params: fff'), { query: "insert …", parameters: ["fff"] });
    const error = toActionError(cause);
    expect(error.code).toBe("INTERNAL");
    expect(error.message.startsWith(errorMessages.INTERNAL)).toBe(true);
    expect(error.message).not.toMatch(/insert|audit_log|fff|\$1/);
    expect(error.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(error.message).toContain(error.correlationId!.slice(0, 8));
    expect(log).toHaveBeenCalledWith(`command failed [${error.correlationId}]`, cause);
  });
});
