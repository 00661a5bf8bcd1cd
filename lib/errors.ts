import { transientFailure } from "./db-errors";

/** Domain error codes, mapped once to the words a user reads. */
export const errorMessages = {
  INSUFFICIENT_BALANCE: "The prepaid balance is too low for this charge. Add balance or pay online first.",
  COLLECTION_LIMIT_REACHED: "This would take the outstanding past the collection limit. A payment must reduce the outstanding first.",
  RESELLER_SUSPENDED: "This reseller is suspended, so no activations or renewals can be made.",
  RESELLER_NOT_FOUND: "That reseller does not exist.",
  PACKAGE_NOT_IN_SCOPE: "That package is not available to this reseller.",
  PACKAGE_INACTIVE: "That package is no longer sold.",
  CUSTOMER_NOT_FOUND: "That customer does not exist.",
  CUSTOMER_SUSPENDED: "This customer is suspended. Reactivate the customer first.",
  SUBSCRIPTION_NOT_FOUND: "That subscription does not exist.",
  ALREADY_ACTIVE: "This customer already has an active subscription. Renew it instead.",
  ENTRY_NOT_FOUND: "That ledger entry does not exist.",
  ALREADY_REVERSED: "This entry has already been reversed.",
  CANNOT_REVERSE_REVERSAL: "A reversal cannot itself be reversed. Post a new entry instead.",
  OUTSTANDING_MUST_BE_SETTLED: "The reseller owes money. Settle the outstanding before switching to prepaid.",
  PAYMENT_ALREADY_SETTLED: "This payment has already been credited.",
  ONLINE_PAYMENTS_OFF: "Online payment is not available right now. Pay the admin another way or ask them to turn it on.",
  GATEWAY_UNAVAILABLE: "The payment gateway did not answer. Nothing was charged. Try again in a minute.",
  PAYMENT_NOT_FOUND: "That online payment does not exist.",
  PAYMENT_NOT_PENDING: "This online payment is already finished.",
  IDEMPOTENCY_CONFLICT: "This form was already submitted with different details. Reload the page and try again.",
  INVALID_AMOUNT: "Enter a valid amount.",
  VALIDATION_FAILED: "Some fields need attention.",
  USERNAME_TAKEN: "That username is already in use. Choose another.",
  EMAIL_TAKEN: "That email address is already in use.",
  NAME_TAKEN: "That name is already in use.",
  AREA_NOT_IN_SCOPE: "That area is not served by this reseller.",
  NOT_FOUND: "Not found.",
  UNAUTHENTICATED: "Your session has ended. Sign in again.",
  FORBIDDEN: "You are not allowed to do that.",
  RATE_LIMITED: "Too many attempts. Wait a few minutes and try again.",
  REQUEST_IN_PROGRESS: "A request with this Idempotency-Key is still being processed. Retry in a moment.",
  IDEMPOTENCY_KEY_REQUIRED: "This request creates or moves something: send an Idempotency-Key header (a unique value per operation, up to 255 characters).",
  PAYLOAD_TOO_LARGE: "The request body is too large.",
  UNSUPPORTED_MEDIA_TYPE: "Send the request body as application/json.",
  TOKEN_INVALID: "The API token is missing, unknown, revoked or expired.",
  DATABASE_UNAVAILABLE: "The database is not answering right now. Try again in a minute: sending the same form again never posts it twice.",
  MALFORMED_REQUEST: "The request could not be read.",
  INTERNAL: "Something went wrong. Nothing was saved. Try again.",
} as const;

export type ErrorCode = keyof typeof errorMessages;

/**
 * Field messages a form's zod check and the lib command's own check both
 * give (the lib checks again for callers that skip the form): one text for both.
 */
export const fieldMessages = {
  amountNotPositive: "The amount must be more than zero.",
  amountTooLarge: "That amount is too large.",
  idempotencyKey: "Reload the form and try again.",
  reversalReason: "Give a reason for the reversal.",
} as const;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message ?? errorMessages[code]);
    this.name = "DomainError";
  }
}

export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/** `correlationId`: for INTERNAL only, the id under which the server logged the cause (the user can quote it). */
export type ActionError = { code: ErrorCode; message: string; fields?: Record<string, string>; correlationId?: string };
export type Result<T> = { ok: true; data: T } | { ok: false; error: ActionError };

/**
 * Turns anything thrown into the typed error a form can show: a domain error's
 * own words, or for anything else a generic message with a correlation id,
 * the cause (SQL, stack, parameters) only in the server log under that id.
 */
export function toActionError(error: unknown): ActionError {
  if (error instanceof DomainError) {
    return { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) };
  }
  // A read or a check outside a command's runner that lost the database: the same "try again".
  if (transientFailure(error) === "connection") return { code: "DATABASE_UNAVAILABLE", message: errorMessages.DATABASE_UNAVAILABLE };
  const correlationId = crypto.randomUUID();
  console.error(`command failed [${correlationId}]`, error);
  return { code: "INTERNAL", message: `${errorMessages.INTERNAL} (Reference ${correlationId.slice(0, 8)})`, correlationId };
}
