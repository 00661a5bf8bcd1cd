// The server's side of a list's URL state: a zod schema built from the list's
// parsers (./lists), so `xSearchSchema.parse(searchParams)` validates exactly
// what the client toolbar writes. Bad values fall back to defaults; parse
// never throws. Browser-safe, though only the server needs it.
import { createLoader, type inferParserType, type ParserMap } from "nuqs/server";
import { z } from "zod";

type HasDefault<P> = P extends { defaultValue: unknown } ? true : false;

/** A parsed search: defaulted keys always present; the others optional (absent, never null). */
export type UrlSearch<P extends ParserMap> = {
  [K in keyof P as HasDefault<P[K]> extends true ? K : never]: inferParserType<P[K]>;
} & {
  [K in keyof P as HasDefault<P[K]> extends true ? never : K]?: Exclude<inferParserType<P[K]>, null>;
};

type LoaderRecord = Record<string, string | string[] | undefined>;

/** The longest URL value a list reads; a longer one (or one with a NUL byte, which no text column holds) counts as absent. */
export const MAX_URL_VALUE_LENGTH = 1_000;
const usable = (value: string) => value.length <= MAX_URL_VALUE_LENGTH && !value.includes("\u0000");

/** Page props, a route's URL object, or a test's object of strings (numbers are written as they would be in a URL). */
function loaderRecord(input: unknown): LoaderRecord {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return {};
  const out: LoaderRecord = {};
  for (const [key, value] of Object.entries(input)) {
    if (Array.isArray(value)) out[key] = value.filter((v) => typeof v === "string" || typeof v === "number").map(String).filter(usable);
    else if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
      if (usable(String(value))) out[key] = String(value);
    }
  }
  return out;
}

/**
 * A zod schema for a list's URL, from its parsers; `serverOnly` adds
 * parameters the client never writes (each must fall back on its own, e.g.
 * with `.catch`), such as the time zone a day range is read in.
 */
export function urlSearchSchema<P extends ParserMap, S extends z.ZodRawShape = Record<never, never>>(parsers: P, serverOnly?: S) {
  const load = createLoader(parsers);
  const extra = z.object(serverOnly ?? ({} as S));
  return z.unknown().transform((input) => {
    const record = loaderRecord(input);
    const parsed: Record<string, unknown> = load(record);
    for (const key of Object.keys(parsed)) if (parsed[key] === null) delete parsed[key];
    const rest = extra.safeParse(record);
    return { ...parsed, ...(rest.success ? rest.data : {}) } as UrlSearch<P> & z.output<typeof extra>;
  });
}
