// URL parameter parsers shared by the server (pages and CSV routes parse the
// URL with them) and the browser (the table toolbar, sort headers and pagers
// write the URL with them, through nuqs). Browser-safe: no database, no zod.
// Every parser answers null for a value it does not accept, so a hand-edited
// URL falls back to the default and never throws.
import { createMultiParser, createParser, parseAsStringLiteral } from "nuqs/server";
import { isUuid } from "@/lib/ids";

export type SortDirection = "asc" | "desc";
export type Sort<C extends string = string> = { column: C; direction: SortDirection };

/** Page of an offset list, 1 … 1,000,000 (default 1). */
export const parseAsPage = createParser<number>({
  parse: (value) => {
    const n = Number(value);
    return value.trim() !== "" && Number.isInteger(n) && n >= 1 && n <= 1_000_000 ? n : null;
  },
  serialize: String,
}).withDefault(1);

export const perPageChoices = [10, 25, 50, 100] as const;
export type PerPage = (typeof perPageChoices)[number];

/** Rows per page: one of perPageChoices. */
export function parseAsPerPage(defaultValue: PerPage) {
  return createParser<PerPage>({
    parse: (value) => {
      const n = Number(value);
      return value.trim() !== "" && perPageChoices.includes(n as PerPage) ? (n as PerPage) : null;
    },
    serialize: String,
  }).withDefault(defaultValue);
}

/** Paging shared by every offset list: `page`, `perPage`. */
export const pagingParsers = { page: parseAsPage, perPage: parseAsPerPage(25) };

/** `sort=column.asc|desc`, restricted to the columns a list sorts by; anything else is the fallback. */
export function parseAsSort<const C extends readonly [string, ...string[]]>(columns: C, fallback: `${C[number]}.${SortDirection}`) {
  const parser = createParser<Sort<C[number]>>({
    parse: (value) => {
      const [column, direction, ...rest] = value.split(".");
      if (rest.length || !columns.includes(column as C[number]) || (direction !== "asc" && direction !== "desc")) return null;
      return { column: column as C[number], direction };
    },
    serialize: (sort) => `${sort.column}.${sort.direction}`,
    eq: (a, b) => a.column === b.column && a.direction === b.direction,
  });
  return parser.withDefault(parser.parse(fallback)!);
}

/** Search text (`q`): trimmed, 1 … 120 characters; empty or longer means no search. */
export const parseAsSearchText = createParser<string>({
  parse: (value) => {
    const text = value.trim();
    return text && text.length <= 120 ? text : null;
  },
  serialize: (text) => text,
});

/** A calendar day ("2026-11-25"), as `from`/`to`; anything else means no bound. */
export const parseAsDay = createParser<string>({
  parse: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? value : null),
  serialize: (day) => day,
});

/** A record id: anything not shaped like a UUID means no filter. */
export const parseAsId = createParser<string>({
  parse: (value) => (isUuid(value) ? value : null),
  serialize: (id) => id,
});

/** One of a fixed set of values (a status, a kind). */
export const parseAsOneOf = parseAsStringLiteral;

/**
 * A set of values from a fixed list, written `a,b` (repeated keys are read
 * too); sorted and without duplicates. One unknown value voids the whole
 * filter, as a hand-made URL should not half-apply.
 */
export function parseAsSetOf<const T extends string>(values: readonly T[]) {
  return createMultiParser<T[]>({
    parse: (raw) => {
      const items = raw.flatMap((v) => v.split(",")).filter(Boolean);
      if (!items.length || !items.every((v) => values.includes(v as T))) return null;
      return [...new Set(items as T[])].sort();
    },
    serialize: (items) => (items.length ? [[...items].sort().join(",")] : []),
    eq: (a, b) => a.length === b.length && a.every((v, i) => v === b[i]),
  });
}

/** A positive integer id from the URL (a keyset cursor). */
export const parseAsCursor = createParser<number>({
  parse: (value) => {
    const n = Number(value);
    return value.trim() !== "" && Number.isSafeInteger(n) && n > 0 ? n : null;
  },
  serialize: String,
});
