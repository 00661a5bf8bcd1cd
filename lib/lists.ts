import Papa from "papaparse";
import { z } from "zod";

/** Paging shared by every server-side table; the URL holds these. */
export const pagingSchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).catch(1),
  perPage: z.coerce.number().int().refine((n) => [10, 25, 50, 100].includes(n)).catch(25),
});

/** "column.asc" / "column.desc" restricted to the columns a table allows. */
export function sortSchema<const C extends readonly [string, ...string[]]>(columns: C, fallback: `${C[number]}.${"asc" | "desc"}`) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const [column, direction] = (value ?? fallback).split(".");
      if (!columns.includes(column as C[number]) || (direction !== "asc" && direction !== "desc")) {
        const [c, d] = fallback.split(".");
        return { column: c as C[number], direction: d as "asc" | "desc" };
      }
      void ctx;
      return { column: column as C[number], direction: direction as "asc" | "desc" };
    });
}

export type Page<T> = { rows: T[]; pageCount: number; total: number };

/** CSV with a header row; values are turned into plain text by the caller. */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return Papa.unparse({ fields: header, data: rows.map((r) => r.map((v) => (v === null || v === undefined ? "" : v))) }, { quotes: false, escapeFormulae: true });
}

/** Escapes LIKE wildcards in user search text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** An optional calendar day from the URL ("2026-11-25"); anything else is ignored rather than an error. */
export const optionalDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => !Number.isNaN(Date.parse(v)))
  .optional()
  .catch(undefined);

/** Search text from the URL: trimmed, at most 120 characters; empty or invalid means no search. */
export const optionalSearch = z
  .string()
  .trim()
  .max(120)
  .optional()
  .catch(undefined)
  .transform((v) => (v ? v : undefined));
