import { timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";

/**
 * The client's address, decided once per request by Lastmile's server
 * (scripts/serve.ts) from the socket and, only when configured, the
 * proxies' X-Forwarded-For. Route handlers and actions cannot see the
 * socket, so the server hands the answer on in a header that carries a
 * per-process key: a client that sends the header itself cannot match it.
 */
export const CLIENT_ADDRESS_HEADER = "x-lastmile-client-address";
const KEY_VARIABLE = "LASTMILE_CLIENT_ADDRESS_KEY";

export type ProxyTrust = { kind: "none" } | { kind: "hops"; hops: number } | { kind: "list"; networks: BlockList; text: string };

/**
 * LASTMILE_TRUSTED_PROXIES: unset or empty trusts no proxy (the socket's
 * address counts); a number N trusts N proxies in front of Lastmile; a
 * comma-separated list of addresses and CIDRs trusts the proxies at those
 * addresses. Anything else is a configuration error, reported at start.
 */
export function parseTrustedProxies(value: string | undefined): ProxyTrust {
  const text = (value ?? "").trim();
  if (!text) return { kind: "none" };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 16) throw new Error(`LASTMILE_TRUSTED_PROXIES=${text}: at most 16 proxies.`);
    return hops === 0 ? { kind: "none" } : { kind: "hops", hops };
  }
  const networks = new BlockList();
  for (const entry of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const [address, prefix, extra] = entry.split("/");
    const family = isIP(address ?? "");
    const type = family === 6 ? "ipv6" : "ipv4";
    const bits = prefix === undefined ? (family === 6 ? 128 : 32) : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!family || extra !== undefined || !(bits >= 0 && bits <= (family === 6 ? 128 : 32))) {
      throw new Error(`LASTMILE_TRUSTED_PROXIES: "${entry}" is not an address, an address/prefix, or a number of proxies.`);
    }
    networks.addSubnet(address!, bits, type);
  }
  return { kind: "list", networks, text };
}

/** A textual IPv4/IPv6 address in canonical form (IPv4-mapped IPv6 as IPv4), or null when it is not one. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let value = raw.trim();
  if (value.length > 64) return null;
  if (value.toLowerCase().startsWith("::ffff:") && isIP(value.slice(7)) === 4) value = value.slice(7);
  const family = isIP(value);
  if (family === 4) return value;
  if (family === 6) return value.toLowerCase();
  return null;
}

function isTrusted(address: string, networks: BlockList): boolean {
  const normal = normalizeAddress(address);
  if (!normal) return false;
  return networks.check(normal, isIP(normal) === 6 ? "ipv6" : "ipv4");
}

/**
 * The address that counts for rate limits and the audit log. Forwarding
 * headers are believed only as far as the trusted proxies reach: with none,
 * the socket; with N hops, the entry N places left of the socket; with a
 * list, the rightmost entry that is not a trusted proxy.
 */
export function resolveClientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trust: ProxyTrust): string | null {
  if (trust.kind === "none") return normalizeAddress(socketAddress);
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = [...forwarded, socketAddress ?? ""];
  if (trust.kind === "hops") return normalizeAddress(chain[Math.max(0, chain.length - 1 - trust.hops)]);
  let index = chain.length - 1;
  while (index > 0 && isTrusted(chain[index]!, trust.networks)) index--;
  return normalizeAddress(chain[index]);
}

/** Called once by the server at start: the key its address header carries. */
export function installClientAddressKey(key: string): void {
  process.env[KEY_VARIABLE] = key;
}

export function clientAddressHeaderValue(key: string, address: string | null): string {
  return `${key} ${address ?? "-"}`;
}

function sameKey(given: string, key: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

type HeaderBag = Record<string, string | string[] | undefined> | Headers | undefined;

/**
 * The request's client address as the server decided it, or null: when the
 * header is missing or forged (wrong key), or the address was unknown. Never
 * read X-Forwarded-For here: that is the server's job, under its trust rule.
 */
export function clientAddress(headers: HeaderBag): string | null {
  const key = process.env[KEY_VARIABLE];
  if (!key || !headers) return null;
  const raw = headers instanceof Headers ? headers.get(CLIENT_ADDRESS_HEADER) : headers[CLIENT_ADDRESS_HEADER];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return null;
  const space = value.indexOf(" ");
  if (space < 0 || !sameKey(value.slice(0, space), key)) return null;
  return normalizeAddress(value.slice(space + 1));
}
