/**
 * The credentials route takes in only a bounded, well-formed URL-encoded form:
 * an oversized body, a Content-Length that lies, another content type or bytes
 * that are not UTF-8 are refused (413 / 400 problem+json) before next-auth,
 * and so before the database: no sign-in attempt, no audit row. A proper form
 * reaches next-auth whole.
 */
import { sql } from "drizzle-orm";
import { NextRequest } from "next/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { makeUser } from "../support/factories";
import { db, testDb } from "../support/fresh-database";

vi.mock("@/db/client", async (importOriginal) => ({ ...(await importOriginal<typeof import("@/db/client")>()), getDb: () => testDb().db }));

process.env.AUTH_SECRET ??= "test-secret-for-the-sign-in-route-test-0123456789";
process.env.NEXTAUTH_URL ??= "http://localhost:3000";

const { AUTH_BODY_MAX_BYTES, boundedAuthRequests } = await import("@/app/_server/auth-requests");
const route = await import("@/app/api/auth/[...nextauth]/route");

const base = "http://localhost:3000/api/auth";
const contextFor = (...segments: string[]) => ({ params: Promise.resolve({ nextauth: segments }) });

async function call(method: "GET" | "POST", segments: string[], init: RequestInit = {}) {
  const request = new Request(`${base}/${segments.join("/")}`, { method, ...init, ...(init.body ? { duplex: "half" } : {}) } as RequestInit);
  const handler = method === "GET" ? route.GET : route.POST;
  return handler(request as never, contextFor(...segments));
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

/** Sign-in attempts and audit rows: what next-auth's credentials check writes. */
async function written() {
  const [row] = (await db().execute(sql`select (select count(*) from sign_in_attempts)::int as attempts, (select count(*) from audit_log)::int as audit`)) as unknown as {
    attempts: number;
    audit: number;
  }[];
  return row!;
}

/** A body that trickles in chunk by chunk (no length known up front), `total` bytes in all. */
function trickle(total: number, chunk = 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const size = Math.min(chunk, total - sent);
      sent += size;
      controller.enqueue(new TextEncoder().encode("a".repeat(size)));
    },
  });
}

let email = "";
const errors = vi.spyOn(console, "error");

beforeAll(async () => {
  email = (await makeUser(db(), { role: "admin" })).email;
});

afterEach(() => {
  // Nothing here is an unexpected failure: the server logs no error for any of these requests.
  expect(errors).not.toHaveBeenCalled();
  errors.mockClear();
});

describe("the sign-in route's request body", () => {
  const credentials = () => form({ csrfToken: "x", email, password: "wrong password", callbackUrl: "/admin" });

  it.each([
    ["a body past the limit", () => ({ headers: formHeaders, body: credentials() + "&pad=" + "a".repeat(AUTH_BODY_MAX_BYTES) }), 413, "PAYLOAD_TOO_LARGE"],
    ["a declared length past the limit", () => ({ headers: { ...formHeaders, "content-length": String(AUTH_BODY_MAX_BYTES + 1) }, body: credentials() }), 413, "PAYLOAD_TOO_LARGE"],
    ["a streamed body with no length that runs past the limit", () => ({ headers: formHeaders, body: trickle(AUTH_BODY_MAX_BYTES * 4) }), 413, "PAYLOAD_TOO_LARGE"],
    ["a Content-Length shorter than the body", () => ({ headers: { ...formHeaders, "content-length": "10" }, body: credentials() }), 400, "MALFORMED_REQUEST"],
    ["a Content-Length longer than the body", () => ({ headers: { ...formHeaders, "content-length": "4000" }, body: credentials() }), 400, "MALFORMED_REQUEST"],
    ["a Content-Length that is not a number", () => ({ headers: { ...formHeaders, "content-length": "12abc" }, body: credentials() }), 400, "MALFORMED_REQUEST"],
    ["a JSON body (next-auth would throw on a broken one)", () => ({ headers: { "content-type": "application/json" }, body: '{"email": "' }), 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["no content type", () => ({ body: new Blob([credentials()]) }), 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["multipart", () => ({ headers: { "content-type": "multipart/form-data; boundary=x" }, body: credentials() }), 415, "UNSUPPORTED_MEDIA_TYPE"],
    ["bytes that are not UTF-8", () => ({ headers: formHeaders, body: new Uint8Array([0x65, 0x6d, 0x61, 0x69, 0x6c, 0x3d, 0xff, 0xfe, 0xc3]) }), 400, "MALFORMED_REQUEST"],
  ])("refuses %s without touching the database", async (_name, init, status, code) => {
    const before = await written();
    const response = await call("POST", ["callback", "credentials"], init() as RequestInit);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ status, code });
    expect(await written()).toEqual(before);
  });

  it("a form at the limit reaches next-auth whole, as a NextRequest with the same fields and headers; a GET passes as it came", async () => {
    const seen: { method: string; fields: Record<string, string>; cookie: string | null; nextUrl: string }[] = [];
    const handler = boundedAuthRequests(async (request) => {
      seen.push({ method: request.method, fields: request.method === "POST" ? Object.fromEntries(new URLSearchParams(await request.text())) : {}, cookie: request.headers.get("cookie"), nextUrl: request.nextUrl.pathname });
      return new Response(null, { status: 204 });
    });
    const fields = { csrfToken: "token", email, password: "é wrong password", callbackUrl: "/admin" };
    const padded = form({ ...fields, pad: "" });
    const body = padded + "a".repeat(AUTH_BODY_MAX_BYTES - Buffer.byteLength(padded));
    expect(Buffer.byteLength(body)).toBe(AUTH_BODY_MAX_BYTES);
    const url = `${base}/callback/credentials`;
    const post = new Request(url, { method: "POST", headers: { ...formHeaders, cookie: "a=b", "content-length": String(AUTH_BODY_MAX_BYTES) }, body });
    expect((await handler(post, contextFor("callback", "credentials"))).status).toBe(204);
    expect((await handler(new NextRequest(`${base}/csrf`), contextFor("csrf"))).status).toBe(204);
    expect((await handler(new Request(url, { method: "POST", headers: formHeaders, body: body + "a" }), contextFor("callback", "credentials"))).status).toBe(413);
    expect(seen).toEqual([
      { method: "POST", fields: { ...fields, pad: "a".repeat(AUTH_BODY_MAX_BYTES - Buffer.byteLength(padded)) }, cookie: "a=b", nextUrl: "/api/auth/callback/credentials" },
      { method: "GET", fields: {}, cookie: null, nextUrl: "/api/auth/csrf" },
    ]);
  });

  it("the route's sign-in and sign-out go through the bound (the same refusal for both handlers)", async () => {
    for (const handler of [route.GET, route.POST]) {
      const request = new Request(`${base}/signout`, { method: "POST", headers: formHeaders, body: "a".repeat(AUTH_BODY_MAX_BYTES + 1) });
      expect((await handler(request as never, contextFor("signout"))).status).toBe(413);
    }
  });
});
