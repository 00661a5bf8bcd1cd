/**
 * The browser-facing security headers, in one place.
 *
 * - `staticSecurityHeaders` are the same on every response, static assets and
 *   API routes included: next.config.ts sends them.
 * - `pageSecurityHeaders` depend on the request: the Content-Security-Policy
 *   carries a fresh nonce per page request, and HSTS is sent only when the
 *   install is served over https. proxy.ts sends them (and hands the policy to
 *   Next.js on the request, which is how Next.js puts the nonce on its own
 *   scripts).
 *
 * Pure functions without I/O: proxy.ts, next.config.ts and the unit tests
 * import them as they are.
 */

/** Sent on every response (next.config.ts `headers()`). */
export const staticSecurityHeaders: ReadonlyArray<{ key: string; value: string }> = [
  // Older browsers' frame-ancestors; the CSP says the same to current ones.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  // No other site's window keeps a handle on ours (a Stripe Checkout is a full navigation, not a popup).
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * The policy for API routes (JSON, problem+json, the Stripe webhook): they
 * answer data, never a document, so nothing may load or run in one, and none
 * may be framed.
 */
export const apiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Two years, the preload lists' minimum; subdomains too, since the whole host is https. */
export const strictTransportSecurity = "max-age=63072000; includeSubDomains";

/** 128 random bits, base64: unguessable, and fresh for every request. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

const NONCE = /^[A-Za-z0-9+/]{16,}={0,2}$/;

export type PolicyOptions = {
  nonce: string;
  /** Served over https: ask the browser to upgrade any http URL left in a page. */
  https: boolean;
  /** `next dev`: React's dev build needs eval (server error stacks) and Next's overlay injects styles. */
  dev: boolean;
};

/**
 * The Content-Security-Policy of a page.
 *
 * Scripts: only those carrying this request's nonce (Next.js puts it on its
 * own scripts) and what they load ('strict-dynamic'); no inline handler, no
 * eval, no script from another origin, no plugin.
 *
 * Styles: `<style>` and stylesheets need the nonce or this origin. Inline
 * `style="…"` attributes are allowed (`style-src-attr 'unsafe-inline'`):
 * React renders the `style` prop as an attribute in the server's HTML, and
 * recharts sizes and places its drawing that way; nonces cannot cover
 * attributes, and the alternative (hashing every value) cannot follow data
 * that changes per page. A style attribute cannot run script, and what it
 * could fetch (a background image) is held to `img-src`.
 *
 * Elsewhere: everything from this origin only (`default-src 'self'`), images
 * also as data: URLs, nothing framed or framing us, forms post only here, and
 * `<base>` cannot move relative URLs to another site. The online payment
 * leaves for Stripe Checkout by a navigation that the page's script makes
 * after the server action answers, not by posting a form there, so
 * `form-action` stays 'self'.
 */
export function contentSecurityPolicy({ nonce, https, dev }: PolicyOptions): string {
  if (!NONCE.test(nonce)) throw new Error("A CSP nonce must be at least 16 base64 characters");
  const directives: Array<[string, ...string[]]> = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(dev ? ["'unsafe-eval'"] : [])],
    ["style-src", "'self'", dev ? "'unsafe-inline'" : `'nonce-${nonce}'`],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'", ...(dev ? ["ws:", "wss:"] : [])],
    ["frame-src", "'none'"],
    ["worker-src", "'self'"],
    ["manifest-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  if (https) directives.push(["upgrade-insecure-requests"]);
  return directives.map((d) => d.join(" ")).join("; ");
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || hostname.toLowerCase().endsWith(".localhost") || /^127\./.test(hostname);
}

function httpsHost(url: string | URL | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = typeof url === "string" ? new URL(url) : url;
  } catch {
    return false;
  }
  return parsed.protocol === "https:" && !isLoopback(parsed.hostname);
}

/**
 * Whether this install answers over https: its public URL (NEXTAUTH_URL) is
 * https, or the request itself arrived over https. Never for a loopback host:
 * HSTS binds a whole host name for two years, every port included, and a
 * developer's other localhost servers speak plain http.
 */
export function servedOverHttps(requestUrl: string | URL, publicUrl: string | undefined): boolean {
  return httpsHost(publicUrl) || httpsHost(requestUrl);
}

/** The headers that proxy.ts puts on a page's response (and the CSP also on the request, for Next.js). */
export function pageSecurityHeaders(options: PolicyOptions): { "Content-Security-Policy": string; "Strict-Transport-Security"?: string } {
  const headers: { "Content-Security-Policy": string; "Strict-Transport-Security"?: string } = { "Content-Security-Policy": contentSecurityPolicy(options) };
  if (options.https) headers["Strict-Transport-Security"] = strictTransportSecurity;
  return headers;
}
