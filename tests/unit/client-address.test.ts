import { afterEach, describe, expect, it } from "vitest";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddress,
  clientAddressHeaderValue,
  installClientAddressKey,
  normalizeAddress,
  parseTrustedProxies,
  resolveClientAddress,
} from "@/lib/auth/client-address";

const none = parseTrustedProxies(undefined);

describe("resolveClientAddress", () => {
  it("trusts no forwarding header by default: the socket's address counts", () => {
    expect(resolveClientAddress("198.51.100.7", "203.0.113.9", none)).toBe("198.51.100.7");
    expect(resolveClientAddress("::ffff:198.51.100.7", ["1.1.1.1", "2.2.2.2"], none)).toBe("198.51.100.7");
  });

  it("with N trusted hops, takes the entry N places left of the socket", () => {
    const one = parseTrustedProxies("1");
    // The client forged the first entry; the proxy appended the real one.
    expect(resolveClientAddress("10.0.0.2", "6.6.6.6, 203.0.113.9", one)).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.2", "203.0.113.9", parseTrustedProxies("2"))).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.1", parseTrustedProxies("2"))).toBe("203.0.113.9");
    expect(resolveClientAddress("10.0.0.2", undefined, one)).toBe("10.0.0.2");
  });

  it("with a list, takes the rightmost address that is not a trusted proxy", () => {
    const list = parseTrustedProxies("10.0.0.0/8, 192.168.1.5, fd00::/8");
    expect(resolveClientAddress("10.1.2.3", "6.6.6.6, 203.0.113.9, 192.168.1.5", list)).toBe("203.0.113.9");
    expect(resolveClientAddress("fd00::1", "2001:db8::5", list)).toBe("2001:db8::5");
    // A request straight from an untrusted address: its forwarding header is ignored.
    expect(resolveClientAddress("203.0.113.50", "6.6.6.6", list)).toBe("203.0.113.50");
  });

  it("stores a malformed address as null instead of passing it on", () => {
    const one = parseTrustedProxies("1");
    expect(resolveClientAddress("10.0.0.2", "fff", one)).toBeNull();
    expect(resolveClientAddress("10.0.0.2", "1.2.3.4'; drop table users;--", one)).toBeNull();
    expect(resolveClientAddress(undefined, undefined, none)).toBeNull();
  });
});

describe("parseTrustedProxies", () => {
  it("refuses a configuration it cannot read, naming the entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/10.0.0.0\/33/);
    expect(() => parseTrustedProxies("proxy.example")).toThrow(/proxy.example/);
    expect(() => parseTrustedProxies("99")).toThrow(/at most 16/);
    expect(parseTrustedProxies("0")).toEqual({ kind: "none" });
  });
});

describe("normalizeAddress", () => {
  it("keeps addresses, maps IPv4-in-IPv6, and turns anything else into null", () => {
    expect(normalizeAddress("127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("::FFFF:127.0.0.1")).toBe("127.0.0.1");
    expect(normalizeAddress("2001:DB8::1")).toBe("2001:db8::1");
    for (const bad of ["fff", "", "1.2.3", "unknown", "1.2.3.4:80", "x".repeat(100)]) expect(normalizeAddress(bad)).toBeNull();
  });
});

describe("clientAddress", () => {
  afterEach(() => installClientAddressKey(""));

  it("believes only the header that carries the server's key", () => {
    installClientAddressKey("server-key");
    const headers = new Headers({ [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue("server-key", "203.0.113.9"), "x-forwarded-for": "6.6.6.6" });
    expect(clientAddress(headers)).toBe("203.0.113.9");
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: "forged-key 6.6.6.6" })).toBeNull();
    expect(clientAddress({ "x-forwarded-for": "6.6.6.6" })).toBeNull();
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: clientAddressHeaderValue("server-key", null) })).toBeNull();
  });

  it("believes nothing when the app runs without Lastmile's server", () => {
    expect(clientAddress({ [CLIENT_ADDRESS_HEADER]: " 6.6.6.6" })).toBeNull();
  });
});
