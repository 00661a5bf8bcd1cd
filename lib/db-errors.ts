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
