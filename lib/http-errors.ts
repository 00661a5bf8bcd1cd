import { transientFailure } from "./db-errors";
import { DomainError, errorMessages, type ErrorCode } from "./errors";

/**
 * The one mapping from a domain error to an HTTP answer, used by every route
 * handler (app/_server/route.ts). Server actions show the same errors as typed
 * results (toActionError); a route answers them as RFC 9457 problem details.
 * Pure: no database, no logging, no Next.js.
 */

/** HTTP status per error code. A new code fails the type check until it is given one here. */
export const errorStatus: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  // Not found, whoever owns it: another reseller's record is "not found" too.
  NOT_FOUND: 404,
  RESELLER_NOT_FOUND: 404,
  CUSTOMER_NOT_FOUND: 404,
  SUBSCRIPTION_NOT_FOUND: 404,
  ENTRY_NOT_FOUND: 404,
  PAYMENT_NOT_FOUND: 404,
  // The request is well formed, but the current state of the books or the record refuses it.
  INSUFFICIENT_BALANCE: 409,
  COLLECTION_LIMIT_REACHED: 409,
  RESELLER_SUSPENDED: 409,
  CUSTOMER_SUSPENDED: 409,
  PACKAGE_INACTIVE: 409,
  ALREADY_ACTIVE: 409,
  ALREADY_REVERSED: 409,
  OUTSTANDING_MUST_BE_SETTLED: 409,
  PAYMENT_ALREADY_SETTLED: 409,
  PAYMENT_NOT_PENDING: 409,
  IDEMPOTENCY_CONFLICT: 409,
  USERNAME_TAKEN: 409,
  EMAIL_TAKEN: 409,
  NAME_TAKEN: 409,
  // The request names something it may never have, or its content is invalid.
  CANNOT_REVERSE_REVERSAL: 422,
  PACKAGE_NOT_IN_SCOPE: 422,
  AREA_NOT_IN_SCOPE: 422,
  INVALID_AMOUNT: 422,
  VALIDATION_FAILED: 422,
  RATE_LIMITED: 429,
  REQUEST_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  TOKEN_INVALID: 401,
  MALFORMED_REQUEST: 400,
  ONLINE_PAYMENTS_OFF: 503,
  GATEWAY_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** An RFC 9457 problem details body, with the domain code (and field messages) as extension members. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  fields?: Record<string, string>;
  /** For INTERNAL only: the id under which the server logged the cause. */
  correlationId?: string;
};

/** "COLLECTION_LIMIT_REACHED" → "urn:lastmile:problem:collection-limit-reached". */
export function problemType(code: ErrorCode): string {
  return `urn:lastmile:problem:${code.toLowerCase().replaceAll("_", "-")}`;
}

/** "COLLECTION_LIMIT_REACHED" → "Collection limit reached": the same for every occurrence of the problem. */
export function problemTitle(code: ErrorCode): string {
  const words = code.toLowerCase().replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The problem for a code; `detail` defaults to the code's user-facing message. */
export function problemFor(code: ErrorCode, detail?: string, extra: Pick<Problem, "fields" | "correlationId"> = {}): Problem {
  return {
    type: problemType(code),
    title: problemTitle(code),
    status: errorStatus[code],
    detail: code === "INTERNAL" ? errorMessages.INTERNAL : (detail ?? errorMessages[code]),
    code,
    ...(extra.fields ? { fields: extra.fields } : {}),
    ...(extra.correlationId ? { correlationId: extra.correlationId } : {}),
  };
}

/**
 * A domain error as its problem; anything else is INTERNAL with the generic
 * message and nothing of the error itself (the caller logs it under `correlationId`).
 */
export function problemOf(error: unknown, correlationId?: string): Problem {
  if (error instanceof DomainError && error.code !== "INTERNAL") return problemFor(error.code, error.message, { fields: error.fields });
  if (transientFailure(error) === "connection") return problemFor("DATABASE_UNAVAILABLE");
  return problemFor("INTERNAL", undefined, { correlationId });
}

/** The problem as an HTTP response: its status, `application/problem+json`, never cached. */
export function problemResponse(problem: Problem, headers?: HeadersInit): Response {
  const merged = new Headers(headers);
  merged.set("content-type", PROBLEM_CONTENT_TYPE);
  if (!merged.has("cache-control")) merged.set("cache-control", "no-store");
  return new Response(JSON.stringify(problem), { status: problem.status, headers: merged });
}
