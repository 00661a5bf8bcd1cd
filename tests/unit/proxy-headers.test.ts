import { NextRequest } from "next/server";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { config, proxy } from "@/proxy";

function request(url: string, headers: Record<string, string> = {}) {
  return new NextRequest(url, { headers });
}

/** The policy the proxy hands Next.js on the request (NextResponse.next({ request: { headers } })). */
function forwardedPolicy(response: Response): string | null {
  return response.headers.get("x-middleware-request-content-security-policy");
}

const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];

describe("proxy: security headers", () => {
  beforeEach(() => {
    vi.stubEnv("AUTH_SECRET", "unit-test-secret-unit-test-secret");
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
  });
  afterEach(() => vi.unstubAllEnvs());

  it("gives a signed-out page a policy with a fresh nonce, and hands the same policy to Next.js", async () => {
    const first = await proxy(request("http://localhost:3000/login"));
    const second = await proxy(request("http://localhost:3000/login"));
    const policy = first.headers.get("content-security-policy");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(forwardedPolicy(first)).toBe(policy);
    expect(nonceOf(policy)).toBeTruthy();
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonceOf(policy));
    expect(first.headers.get("strict-transport-security")).toBeNull();
  });

  it("replaces a policy the client sent, so no one picks the nonce", async () => {
    const forged = "script-src 'nonce-AAAAAAAAAAAAAAAAAAAAAA=='";
    const response = await proxy(request("http://localhost:3000/", { "content-security-policy": forged }));
    expect(forwardedPolicy(response)).not.toContain("AAAAAAAAAAAAAAAAAAAAAA==");
    expect(forwardedPolicy(response)).toBe(response.headers.get("content-security-policy"));
  });

  it("keeps the sign-in redirect of /admin and /portal, with the headers on it", async () => {
    for (const path of ["/admin", "/admin/audit?page=2", "/portal/customers"]) {
      const response = await proxy(request(`http://localhost:3000${path}`));
      expect(response.status).toBe(307);
      const location = new URL(response.headers.get("location")!);
      expect(location.pathname).toBe("/login");
      expect(location.searchParams.get("callbackUrl")).toBe(path);
      expect(response.headers.get("content-security-policy")).toContain("object-src 'none'");
    }
  });

  it("does not treat a look-alike path as an area", async () => {
    for (const path of ["/administrator", "/portals", "/login", "/forbidden", "/"]) {
      const response = await proxy(request(`http://localhost:3000${path}`));
      expect(response.headers.get("location"), path).toBeNull();
      expect(response.headers.get("x-middleware-next"), path).toBe("1");
    }
  });

  it("sends HSTS when the public URL is https, even behind a proxy speaking http", async () => {
    vi.stubEnv("NEXTAUTH_URL", "https://billing.example.net");
    const response = await proxy(request("http://127.0.0.1:3000/login"));
    expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(response.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
  });

  it("runs for every page but not for API routes or Next.js's static files", () => {
    const [source] = config.matcher;
    // Next.js anchors the matcher source as a whole-path regular expression.
    const matches = (path: string) => new RegExp(`^${source}$`).test(path);
    for (const path of ["/", "/login", "/forbidden", "/no-such-page", "/admin", "/admin/resellers/x/statement/export", "/portal/pay-online/x/sandbox", "/home"]) {
      expect(matches(path), path).toBe(true);
    }
    for (const path of ["/api/auth/session", "/api/payments/stripe/webhook", "/_next/static/chunks/a.js", "/_next/image", "/favicon.ico"]) {
      expect(matches(path), path).toBe(false);
    }
  });
});
