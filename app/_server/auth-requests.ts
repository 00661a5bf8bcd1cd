import "server-only";
import { NextRequest } from "next/server";
import { DomainError } from "@/lib/errors";
import { readBodyLimited, utf8OrNull } from "./body";
import { routeHandler } from "./route";

/**
 * The largest body the sign-in route reads. A credentials form is a CSRF
 * token (~130 bytes), an email (≤ 254 characters), a password (≤ 1,024 bytes)
 * and a callback URL, URL-encoded: 8 kB leaves room for all of them
 * percent-encoded three bytes to a character.
 */
export const AUTH_BODY_MAX_BYTES = 8 * 1024;

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

type AuthContext = { params: Promise<{ nextauth: string[] }> };

/**
 * Wraps next-auth's route handler so a POST (sign-in, sign-out) is taken in
 * only as a URL-encoded form of at most AUTH_BODY_MAX_BYTES of UTF-8, read no
 * further than that whatever Content-Length claims: anything else is a 413 or
 * 400 problem answered before next-auth (and so the database) sees it.
 * next-auth itself answers a malformed JSON body with an unhandled exception.
 */
export function boundedAuthRequests(handler: (request: NextRequest, context: AuthContext) => Promise<Response>) {
  return routeHandler<AuthContext>(
    async (request, context) => {
      if (request.method !== "POST") return handler(request as NextRequest, context);
      if (!FORM_TYPE.test((request.headers.get("content-type") ?? "").trim())) {
        throw new DomainError("UNSUPPORTED_MEDIA_TYPE", "Send the form as application/x-www-form-urlencoded.");
      }
      const declared = request.headers.get("content-length");
      if (declared !== null && !/^\d+$/.test(declared.trim())) throw new DomainError("MALFORMED_REQUEST", "The Content-Length header is not a number.");
      const bytes = await readBodyLimited(request, AUTH_BODY_MAX_BYTES);
      if (bytes === null) throw new DomainError("PAYLOAD_TOO_LARGE", `A sign-in request carries at most ${AUTH_BODY_MAX_BYTES} bytes.`);
      if (declared !== null && Number(declared.trim()) !== bytes.byteLength) {
        throw new DomainError("MALFORMED_REQUEST", "The body is not as long as its Content-Length says.");
      }
      const text = utf8OrNull(bytes);
      if (text === null) throw new DomainError("MALFORMED_REQUEST", "The body is not valid UTF-8.");
      const headers = new Headers(request.headers);
      headers.delete("content-length");
      return handler(new NextRequest(request.url, { method: "POST", headers, body: text }), context);
    },
    { label: "sign-in route" },
  );
}
