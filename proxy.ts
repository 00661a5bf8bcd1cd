import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { problemFor, problemResponse } from "@/lib/http-errors";
import { newNonce, pageSecurityHeaders, servedOverHttps } from "@/lib/security/headers";

/**
 * Runs before every page (and the exports under /admin and /portal):
 *
 * 1. A Content-Security-Policy with a fresh nonce (lib/security/headers.ts),
 *    and HSTS when served over https. The policy also rides on the request,
 *    which is where Next.js reads the nonce to put on its own scripts.
 * 2. For /admin and /portal only, a first line of access control: signed-out
 *    users go to sign-in and the wrong role gets a 403 (the 403 page, or a 403
 *    problem for an export). Every page, action and route checks again on the
 *    server.
 */
export async function proxy(request: NextRequest) {
  const security = pageSecurityHeaders({
    nonce: newNonce(),
    https: servedOverHttps(request.nextUrl, process.env.NEXTAUTH_URL),
    dev: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("Content-Security-Policy", security["Content-Security-Policy"]);
  const response = await access(request, requestHeaders);
  for (const [name, value] of Object.entries(security)) if (value) response.headers.set(name, value);
  return response;
}

function inArea(pathname: string, area: string): boolean {
  return pathname === area || pathname.startsWith(`${area}/`);
}

async function access(request: NextRequest, requestHeaders: Headers): Promise<Response> {
  const { pathname } = request.nextUrl;
  const guarded = inArea(pathname, "/admin") || inArea(pathname, "/portal");
  if (!guarded) return NextResponse.next({ request: { headers: requestHeaders } });
  const token = await getToken({ req: request, secret: process.env.AUTH_SECRET });
  if (!token) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", pathname + request.nextUrl.search);
    return NextResponse.redirect(login);
  }
  const area = inArea(pathname, "/admin") ? "admin" : "reseller";
  if (token.role !== area) {
    // Route handlers (the CSV exports) refuse like every route: a problem+json body (lib/http-errors).
    if (pathname.endsWith("/export")) return problemResponse(problemFor("FORBIDDEN"));
    return NextResponse.rewrite(new URL("/forbidden", request.url), { status: 403, request: { headers: requestHeaders } });
  }
  return NextResponse.next({ request: { headers: requestHeaders } });
}

// Every path but the API routes (JSON and the Stripe webhook: next.config.ts gives them a
// policy of their own), the API reference (/docs/api and its scripts: its route sends its
// own policy, which a nonce policy here would replace, blocking its script files), and
// Next.js's static files; the auth check above still covers exactly /admin, /portal and
// everything under them.
export const config = { matcher: ["/((?!api/|docs/api|_next/|favicon.ico).*)"] };
