import { describe, expect, it } from "vitest";
import {
  apiContentSecurityPolicy,
  contentSecurityPolicy,
  newNonce,
  pageSecurityHeaders,
  servedOverHttps,
  staticSecurityHeaders,
} from "@/lib/security/headers";

/** "a b; c d" → { a: ["b"], c: ["d"] } */
function directives(policy: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of policy.split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(out[name], `directive ${name} appears once`).toBeUndefined();
    out[name] = values;
  }
  return out;
}

const nonce = "q1w2e3r4t5y6u7i8o9p0aA==";

describe("contentSecurityPolicy", () => {
  const production = directives(contentSecurityPolicy({ nonce, https: false, dev: false }));

  it("runs only scripts that carry the request's nonce, and what they load", () => {
    expect(production["script-src"]).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(production["script-src"]).not.toContain("'unsafe-inline'");
    expect(production["script-src"]).not.toContain("'unsafe-eval'");
  });

  it("closes framing, plugins, <base> and form targets, and keeps everything else to this origin", () => {
    expect(production["default-src"]).toEqual(["'self'"]);
    expect(production["frame-ancestors"]).toEqual(["'none'"]);
    expect(production["object-src"]).toEqual(["'none'"]);
    expect(production["base-uri"]).toEqual(["'self'"]);
    expect(production["form-action"]).toEqual(["'self'"]);
    expect(production["connect-src"]).toEqual(["'self'"]);
    expect(production["img-src"]).toEqual(["'self'", "data:"]);
    expect(production["frame-src"]).toEqual(["'none'"]);
  });

  it("lets style elements in only with the nonce, and style attributes inline", () => {
    expect(production["style-src"]).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(production["style-src-attr"]).toEqual(["'unsafe-inline'"]);
  });

  it("upgrades insecure requests only over https", () => {
    expect(production).not.toHaveProperty("upgrade-insecure-requests");
    expect(directives(contentSecurityPolicy({ nonce, https: true, dev: false }))).toHaveProperty("upgrade-insecure-requests");
  });

  it("allows eval and the dev server's socket only in development", () => {
    const dev = directives(contentSecurityPolicy({ nonce, https: false, dev: true }));
    expect(dev["script-src"]).toContain("'unsafe-eval'");
    expect(dev["connect-src"]).toContain("ws:");
    expect(dev["frame-ancestors"]).toEqual(["'none'"]);
  });

  it.each(["", "short", "abc'; script-src *", "q1w2e3r4t5y6u7i8o9p0 aA==", "q1w2e3r4t5y6u7i8o9p0aA==;"])("refuses a nonce that could bend the policy: %j", (bad) => {
    expect(() => contentSecurityPolicy({ nonce: bad, https: false, dev: false })).toThrow();
  });
});

describe("newNonce", () => {
  it("is 128 random bits, base64, different every time, and accepted by the policy", () => {
    const nonces = new Set(Array.from({ length: 200 }, newNonce));
    expect(nonces.size).toBe(200);
    for (const n of nonces) {
      expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(n, "base64")).toHaveLength(16);
      expect(contentSecurityPolicy({ nonce: n, https: false, dev: false })).toContain(`'nonce-${n}'`);
    }
  });
});

describe("HSTS", () => {
  it.each([
    ["http://localhost:3000/admin", undefined, false],
    ["http://localhost:3000/admin", "http://localhost:3000", false],
    ["http://127.0.0.1:3000/login", undefined, false],
    ["https://localhost:3000/login", "https://localhost:3000", false],
    ["http://[::1]:3000/login", undefined, false],
    ["http://app.localhost/login", "https://app.localhost", false],
    ["http://billing.example.net/login", "http://billing.example.net", false],
    ["http://billing.example.net/login", "not a url", false],
    ["http://billing.example.net/login", "", false],
    // A TLS-terminating proxy forwards plain http to the app; the public URL says https.
    ["http://127.0.0.1:3000/login", "https://billing.example.net", true],
    ["http://billing.example.net/login", "https://billing.example.net/", true],
    // Served over https directly, whatever the public URL says.
    ["https://billing.example.net/login", undefined, true],
    ["https://billing.example.net/login", "http://billing.example.net", true],
  ] as const)("request %s, public URL %s → https %s", (requestUrl, publicUrl, expected) => {
    expect(servedOverHttps(requestUrl, publicUrl)).toBe(expected);
  });

  it("is sent only when served over https", () => {
    expect(pageSecurityHeaders({ nonce, https: false, dev: false })).not.toHaveProperty("Strict-Transport-Security");
    const https = pageSecurityHeaders({ nonce, https: true, dev: false });
    expect(https["Strict-Transport-Security"]).toMatch(/^max-age=(\d+); includeSubDomains$/);
    expect(Number(/max-age=(\d+)/.exec(https["Strict-Transport-Security"]!)![1])).toBeGreaterThanOrEqual(31_536_000);
    expect(https["Content-Security-Policy"]).toContain(`'nonce-${nonce}'`);
  });
});

describe("headers on every response", () => {
  it("forbid sniffing, framing and leaking full URLs to other sites", () => {
    const byName = Object.fromEntries(staticSecurityHeaders.map((h) => [h.key.toLowerCase(), h.value]));
    expect(byName["x-content-type-options"]).toBe("nosniff");
    expect(byName["x-frame-options"]).toBe("DENY");
    expect(byName["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    // The page policy comes from proxy.ts only: two policies would both apply.
    expect(byName).not.toHaveProperty("content-security-policy");
    expect(byName).not.toHaveProperty("strict-transport-security");
  });

  it("API answers load and run nothing and cannot be framed", () => {
    const api = directives(apiContentSecurityPolicy);
    expect(api["default-src"]).toEqual(["'none'"]);
    expect(api["frame-ancestors"]).toEqual(["'none'"]);
  });
});
