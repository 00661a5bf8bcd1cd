// What every server-side list shares on the server: its page shape, CSV and
// search patterns. A list's URL parameters live in lib/url-state.

export type Page<T> = { rows: T[]; pageCount: number; total: number };

/** CSV with a header row, every cell neutralised against spreadsheet formulas (lib/csv). */
export { toCsv } from "./csv";

/** Escapes LIKE wildcards in user search text. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
