import { describe, expect, it } from "vitest";
import { JEMALLOC_PATHS, workerAllocator } from "@/lib/allocator";
import { installWorkers } from "@/lib/config";

describe("LASTMILE_WORKERS", () => {
  it("defaults to one worker per CPU, and at least one", () => {
    expect(installWorkers(undefined, 2)).toBe(2);
    expect(installWorkers("", 8)).toBe(8);
    expect(installWorkers("  ", 0)).toBe(1);
  });

  it("takes a whole number of at least 1", () => {
    expect(installWorkers("1", 8)).toBe(1);
    expect(installWorkers(" 3 ", 2)).toBe(3);
  });

  it.each(["0", "-1", "1.5", "two", "2 workers", "0x2"])("refuses %j with a message naming the variable", (value) => {
    expect(() => installWorkers(value, 2)).toThrow(/LASTMILE_WORKERS must be a whole number of at least 1/);
  });
});

describe("LASTMILE_MALLOC", () => {
  const installed = (path: string) => path === JEMALLOC_PATHS[0];
  const missing = () => false;

  it("preloads jemalloc into the workers by default when it is installed", () => {
    expect(workerAllocator(undefined, installed)).toBe(JEMALLOC_PATHS[0]);
    expect(workerAllocator(" JEMALLOC ", installed)).toBe(JEMALLOC_PATHS[0]);
  });

  it("falls back to the system's malloc when jemalloc is not installed, or when asked to", () => {
    expect(workerAllocator(undefined, missing)).toBeNull();
    expect(workerAllocator("system", installed)).toBeNull();
  });

  it.each(["tcmalloc", "yes", "1"])("refuses %j with a message naming the variable", (value) => {
    expect(() => workerAllocator(value, installed)).toThrow(/LASTMILE_MALLOC must be "jemalloc" or "system"/);
  });
});
