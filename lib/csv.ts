import Papa from "papaparse";

export type CsvValue = string | number | bigint | null | undefined;

// A plain decimal number (an amount such as "-12.50", an id) is data, never a formula: it stays as it is.
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
// What a spreadsheet may start a formula with, after any leading whitespace (line breaks included).
const FORMULA_START = /^\s*[=+\-@\t\r]/;

/**
 * One cell as text that no spreadsheet runs: a cell that could be read as a
 * formula (leading = + - @, tab or CR, after any whitespace, whatever follows,
 * line breaks included) is prefixed with a single quote.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : value.toString();
  if (PLAIN_NUMBER.test(text)) return text;
  return FORMULA_START.test(text) ? `'${text}` : text;
}

const options = { quotes: false, newline: "\r\n", escapeFormulae: false } as const;

function unparse(rows: CsvValue[][]): string {
  return Papa.unparse(rows.map((row) => row.map(csvCell)), options);
}

/** CSV lines for a chunk of a streamed export, every cell through csvCell; ends with a line break. */
export function csvLines(rows: CsvValue[][]): string {
  return rows.length ? `${unparse(rows)}\r\n` : "";
}

/** A whole CSV document: the header row, then the rows. Every export goes through here or csvLines. */
export function toCsv(header: string[], rows: CsvValue[][]): string {
  return unparse([header, ...rows]);
}
