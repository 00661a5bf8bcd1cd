import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvCell, toCsv } from "@/lib/csv";

const hostile = [
  "=HYPERLINK(\"http://evil.example\",\"click\")",
  "=HYPERLINK(\"http://evil.example\")\nsecond line",
  "+cmd|' /C calc'!A0",
  "-2+3",
  "@SUM(A1:A2)",
  "\t=1+1",
  "\r=1+1",
  "   =1+1",
  "\n=1+1",
  " \n\t@x",
];

describe("CSV cells a spreadsheet could run", () => {
  it.each(hostile)("neutralises %j with a leading quote", (value) => {
    expect(csvCell(value)).toBe(`'${value}`);
  });

  it("leaves plain text, numbers and negative amounts alone", () => {
    expect(csvCell("Amina Hossain")).toBe("Amina Hossain");
    expect(csvCell("a=b")).toBe("a=b");
    expect(csvCell("-12.50")).toBe("-12.50");
    expect(csvCell("1250.00")).toBe("1250.00");
    expect(csvCell(-1200n)).toBe("-1200");
    expect(csvCell(42)).toBe("42");
    expect(csvCell(null)).toBe("");
    expect(csvCell(undefined)).toBe("");
  });

  it("a whole document reads back with every hostile cell quoted-out and line breaks kept inside their cell", () => {
    const csv = toCsv(["name", "amount"], hostile.map((name) => [name, "-5.00"]));
    const parsed = Papa.parse<string[]>(csv.trimEnd(), { newline: "\r\n" }).data;
    expect(parsed[0]).toEqual(["name", "amount"]);
    expect(parsed.slice(1).map((r) => r[0])).toEqual(hostile.map((h) => `'${h}`));
    expect(parsed.slice(1).every((r) => r[1] === "-5.00")).toBe(true);
  });
});
