import type { z } from "zod";
import type { Actor } from "@/lib/billing/actor";
import { DomainError, toActionError, type Result } from "@/lib/errors";
import { hasPermission, type Permission } from "@/lib/permissions";
import { actorFor, type SessionUser } from "./session-user";

/** Who may run a command: the admin, or a reseller holding a permission. */
export type Access = { role: "admin" } | { role: "reseller"; permission: Permission };

export type CommandContext = { user: SessionUser; actor: Actor; resellerId: string | null };

/** Checks the access rule for an already-loaded user; throws FORBIDDEN/UNAUTHENTICATED. */
export function authorize(user: SessionUser | null, access: Access): SessionUser {
  if (!user) throw new DomainError("UNAUTHENTICATED");
  if (user.role !== access.role) throw new DomainError("FORBIDDEN");
  if (access.role === "reseller" && !hasPermission(user.permissions, access.permission)) {
    throw new DomainError("FORBIDDEN", "Your account does not have permission to do that. Ask your admin.");
  }
  return user;
}

/** Field messages from a zod error, keyed by the first path segment. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "form");
    fields[key] ??= issue.message;
  }
  return fields;
}

/** The message for a field that carries a NUL byte (PostgreSQL cannot store one in text). */
export const nulFieldMessage = "Remove the invisible control character (NUL) from this field.";

/**
 * Fields of a raw form whose value (or any value of a list) contains a NUL
 * byte. No text column can hold one, so it is refused up front for every
 * command with a field message, instead of failing at the database.
 */
export function nulFields(raw: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  if (typeof raw !== "object" || raw === null) return fields;
  const hasNul = (value: unknown): boolean =>
    typeof value === "string" ? value.includes("\u0000") : Array.isArray(value) ? value.some(hasNul) : false;
  for (const [key, value] of Object.entries(raw)) {
    if (hasNul(value) || key.includes("\u0000")) fields[key.replaceAll("\u0000", "")] = nulFieldMessage;
  }
  return fields;
}

/**
 * The one guard every command goes through: session → role → permission →
 * no NUL byte in any field → zod parse → the lib call → a typed result. Scope is enforced inside lib
 * (every reseller query filters by the reseller id taken from the session,
 * never from the request), so no caller can forget it.
 */
export async function runGuarded<S extends z.ZodType, T>(
  user: SessionUser | null,
  access: Access,
  schema: S,
  raw: unknown,
  run: (input: z.output<S>, context: CommandContext) => Promise<T>,
  ipAddress?: string | null,
): Promise<Result<T>> {
  try {
    const allowed = authorize(user, access);
    const nul = nulFields(raw);
    if (Object.keys(nul).length) return { ok: false, error: { code: "VALIDATION_FAILED", message: nulFieldMessage, fields: nul } };
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const fields = fieldErrors(parsed.error);
      return { ok: false, error: { code: "VALIDATION_FAILED", message: Object.values(fields)[0] ?? "Check the form.", fields } };
    }
    const data = await run(parsed.data, { user: allowed, actor: actorFor(allowed, ipAddress), resellerId: allowed.resellerId });
    return { ok: true, data };
  } catch (error) {
    return { ok: false, error: toActionError(error) };
  }
}
