import "server-only";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { runGuarded, type Access, type CommandContext } from "@/lib/auth/guard";
import type { Result } from "@/lib/errors";
import { currentUser, requestAddress } from "./session";

/** The access rule of every admin command (and admin route handler). */
export const admin = { role: "admin" } as const satisfies Access;

/** FormData to a plain object; names ending in [] (checkbox groups) become arrays under the bare name. */
export function formObject(formData: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(formData.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const values = formData.getAll(key).map((v) => (typeof v === "string" ? v : v.name));
    if (key.endsWith("[]")) out[key.slice(0, -2)] = values;
    else out[key] = values.length > 1 ? values : values[0];
  }
  return out;
}

/**
 * Builds a server action: every call re-checks the session, role and
 * permission on the server, parses the form with zod, runs one lib call and
 * revalidates the pages that show its result.
 */
export function guardedAction<S extends z.ZodType, T>(
  access: Access,
  schema: S,
  run: (input: z.output<S>, context: CommandContext) => Promise<T>,
  options: { revalidate?: string[]; redirectTo?: (data: T) => string } = {},
) {
  return async (_previous: Result<T> | null, formData: FormData): Promise<Result<T>> => {
    const result = await runGuarded(await currentUser(), access, schema, formObject(formData), run, await requestAddress());
    if (result.ok) for (const path of options.revalidate ?? []) revalidatePath(path, "layout");
    // After the guard, outside its try: redirect() works by throwing. A server action's redirect answers 303.
    if (result.ok && options.redirectTo) redirect(options.redirectTo(result.data));
    return result;
  };
}
