import { describe, expect, it } from "vitest";
import { formatBytes } from "@/lib/radius/format";
import { generateServicePassword } from "@/lib/radius/service-password";

describe("generateServicePassword", () => {
  it("is 14 characters from an alphabet without look-alikes", () => {
    for (let i = 0; i < 200; i++) expect(generateServicePassword()).toMatch(/^[a-hj-km-np-z2-9]{14}$/);
  });
  it("does not repeat", () => {
    const seen = new Set(Array.from({ length: 2_000 }, () => generateServicePassword()));
    expect(seen.size).toBe(2_000);
  });
});

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [999, "999 B"],
    [1_000, "1.00 kB"],
    [250_000, "250 kB"],
    [2_000_000n, "2.00 MB"],
    [12_345_678_901n, "12.3 GB"],
  ] as const)("%s → %s", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
