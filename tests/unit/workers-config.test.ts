import { describe, expect, it } from "vitest";
import { installWorkers } from "@/lib/config";
import { installListenHost } from "@/lib/listen-host";

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

describe("LASTMILE_HOST", () => {
  it("is every interface when unset or blank", () => {
    expect(installListenHost(undefined)).toBeUndefined();
    expect(installListenHost("  ")).toBeUndefined();
  });

  it.each(["127.0.0.1", "::1", "10.0.0.5", "localhost", " 127.0.0.1 "])("takes %j", (value) => {
    expect(installListenHost(value)).toBe(value.trim());
  });

  it.each(["0.0.0.0.0", "example.com", "127.0.0.1:3000", "http://127.0.0.1", "::1]"])("refuses %j with a message naming the variable", (value) => {
    expect(() => installListenHost(value)).toThrow(/LASTMILE_HOST must be an IP address/);
  });
});
