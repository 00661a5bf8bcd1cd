// Reading PostgreSQL errors. postgres.js puts the server's fields on the
// error it throws; Drizzle wraps that error and keeps it as `cause`.

type PgErrorFields = { code?: string; constraint_name?: string };

function pgFields(error: unknown): PgErrorFields | undefined {
  if (!error || typeof error !== "object") return undefined;
  const cause = (error as { cause?: unknown }).cause;
  return (cause && typeof cause === "object" ? cause : error) as PgErrorFields;
}

/** The name of the constraint a statement violated, if any. */
export function violatedConstraint(error: unknown): string | undefined {
  return pgFields(error)?.constraint_name;
}

/** A unique violation (23505), optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const fields = pgFields(error);
  return fields?.code === "23505" && (constraint === undefined || fields.constraint_name === constraint);
}

/** The error codes of one PostgreSQL or postgres.js failure, outermost first (Drizzle keeps the driver's error as `cause`). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
  }
  return codes;
}

/** Two transactions that could not both commit as they ran: serialization failure (40001) or deadlock (40P01). Run again, it passes. */
const CONTENTION = new Set(["40001", "40P01"]);

/**
 * The connection went (or never came): the server shut down or terminated the
 * backend (57P01–57P03), a connection exception (class 08), or the socket
 * failed (postgres.js: CONNECTION_CLOSED, CONNECT_TIMEOUT; Node: ECONNREFUSED,
 * ECONNRESET, EPIPE, ETIMEDOUT…). Not CONNECTION_ENDED/DESTROYED: the app
 * closed its pool on purpose.
 */
const CONNECTION = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
  "CONNECTION_CLOSED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** What kind of passing failure an error is, if it is one: contention between transactions, or a lost database connection. */
export function transientFailure(error: unknown): "contention" | "connection" | undefined {
  const codes = errorCodes(error);
  if (codes.some((code) => CONTENTION.has(code))) return "contention";
  if (codes.some((code) => CONNECTION.has(code))) return "connection";
  return undefined;
}
