import Papa from "papaparse";

// What every server-side list shares on the server: its page shape, CSV and
// search patterns. A list's URL parameters live in lib/url-state.

export type Page<T> = { rows: T[]; pageCount: number; total: number };

/** CSV with a header row; values are turned into plain text by the caller. */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return Papa.unparse({ fields: header, data: rows.map((r) => r.map((v) => (v === null || v === undefined ? "" : v))) }, { quotes: false, escapeFormulae: true });
}

/** Escapes LIKE wildcards in user search text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
