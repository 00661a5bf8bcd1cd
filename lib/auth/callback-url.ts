/** Where sign-in may send the user afterwards: a path on this site only (browser-safe; the form and the server both use it). */
export function safeCallbackPath(value: unknown, fallback = "/home"): string {
  if (typeof value !== "string" || value.length > 2_000) return fallback;
  // "//host" and "/\host" are other sites to a browser; a backslash or control character anywhere is refused outright.
  if (!value.startsWith("/") || value.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  const base = "http://lastmile.invalid";
  try {
    const url = new URL(value, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
