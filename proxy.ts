import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { problemFor, problemResponse } from "@/lib/http-errors";

/**
 * First line only: sends signed-out users to sign-in and the wrong role to a
 * 403 (the 403 page, or a 403 problem for an export). Every page, action and
 * route checks again on the server.
 */
export async function proxy(request: NextRequest) {
  const token = await getToken({ req: request, secret: process.env.AUTH_SECRET });
  const { pathname } = request.nextUrl;
  if (!token) {
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", pathname + request.nextUrl.search);
    return NextResponse.redirect(login);
  }
  const area = pathname.startsWith("/admin") ? "admin" : "reseller";
  if (token.role !== area) {
    // Route handlers (the CSV exports) refuse like every route: a problem+json body (lib/http-errors).
    if (pathname.endsWith("/export")) return problemResponse(problemFor("FORBIDDEN"));
    return NextResponse.rewrite(new URL("/forbidden", request.url), { status: 403 });
  }
  return NextResponse.next();
}

export const config = { matcher: ["/admin/:path*", "/portal/:path*"] };
