import { describe, expect, it } from "vitest";
import { DomainError, errorMessages, type ErrorCode } from "@/lib/errors";
import { errorStatus, PROBLEM_CONTENT_TYPE, problemFor, problemOf, problemResponse, problemTitle, problemType } from "@/lib/http-errors";

const codes = Object.keys(errorMessages) as ErrorCode[];

describe("errorStatus: one HTTP status per domain error code", () => {
  it("gives every code a client or server error status", () => {
    for (const code of codes) expect(errorStatus[code], code).toBeGreaterThanOrEqual(400);
    expect(Object.keys(errorStatus).sort()).toEqual([...codes].sort());
  });

  it.each([
    ["UNAUTHENTICATED", 401],
    ["FORBIDDEN", 403],
    ["NOT_FOUND", 404],
    ["RESELLER_NOT_FOUND", 404],
    ["CUSTOMER_NOT_FOUND", 404],
    ["SUBSCRIPTION_NOT_FOUND", 404],
    ["ENTRY_NOT_FOUND", 404],
    ["PAYMENT_NOT_FOUND", 404],
    ["IDEMPOTENCY_CONFLICT", 409],
    ["INSUFFICIENT_BALANCE", 409],
    ["COLLECTION_LIMIT_REACHED", 409],
    ["RESELLER_SUSPENDED", 409],
    ["ALREADY_REVERSED", 409],
    ["USERNAME_TAKEN", 409],
    ["VALIDATION_FAILED", 422],
    ["INVALID_AMOUNT", 422],
    ["PACKAGE_NOT_IN_SCOPE", 422],
    ["RATE_LIMITED", 429],
    ["GATEWAY_UNAVAILABLE", 503],
    ["INTERNAL", 500],
  ] as const)("%s is %i", (code, status) => {
    expect(errorStatus[code]).toBe(status);
  });

  it("every *_NOT_FOUND code is a 404", () => {
    for (const code of codes.filter((c) => c.endsWith("NOT_FOUND"))) expect(errorStatus[code], code).toBe(404);
  });
});

describe("problem details (RFC 9457)", () => {
  it("a domain error becomes type, title, status, detail and code", () => {
    expect(problemOf(new DomainError("COLLECTION_LIMIT_REACHED"))).toEqual({
      type: "urn:lastmile:problem:collection-limit-reached",
      title: "Collection limit reached",
      status: 409,
      detail: errorMessages.COLLECTION_LIMIT_REACHED,
      code: "COLLECTION_LIMIT_REACHED",
    });
  });

  it("keeps a specific message as the detail and field messages as an extension", () => {
    const problem = problemOf(new DomainError("VALIDATION_FAILED", "Enter a name.", { name: "Enter a name." }));
    expect(problem).toMatchObject({ status: 422, code: "VALIDATION_FAILED", title: "Validation failed", detail: "Enter a name.", fields: { name: "Enter a name." } });
  });

  it("anything that is not a domain error is a generic 500 with nothing of the error in it", () => {
    const secret = new Error('relation "ledger_entries" does not exist at postgres://app:hunter2@db/lastmile');
    const problem = problemOf(secret, "c0ffee00-0000-4000-8000-000000000000");
    expect(problem).toEqual({
      type: problemType("INTERNAL"),
      title: "Internal",
      status: 500,
      detail: errorMessages.INTERNAL,
      code: "INTERNAL",
      correlationId: "c0ffee00-0000-4000-8000-000000000000",
    });
    expect(JSON.stringify(problem)).not.toMatch(/ledger_entries|hunter2|postgres/);
    expect(problemOf("a thrown string").status).toBe(500);
    expect(problemOf(new DomainError("INTERNAL", "SQL: select secret")).detail).toBe(errorMessages.INTERNAL);
  });

  it("type and title are stable per code", () => {
    expect(problemType("NOT_FOUND")).toBe("urn:lastmile:problem:not-found");
    expect(problemTitle("RESELLER_NOT_FOUND")).toBe("Reseller not found");
    expect(problemFor("FORBIDDEN")).toMatchObject({ status: 403, title: "Forbidden", detail: errorMessages.FORBIDDEN });
  });

  it("problemResponse answers application/problem+json with the problem's status, not cached", async () => {
    const response = problemResponse(problemFor("RESELLER_NOT_FOUND"));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toMatchObject({ status: 404, code: "RESELLER_NOT_FOUND", detail: errorMessages.RESELLER_NOT_FOUND });
  });

  it("problemResponse keeps the caller's headers (the webhook's no-transform)", () => {
    const response = problemResponse(problemFor("INTERNAL"), { "cache-control": "no-store, no-transform" });
    expect(response.headers.get("cache-control")).toBe("no-store, no-transform");
    expect(response.headers.get("content-type")).toBe(PROBLEM_CONTENT_TYPE);
  });
});
