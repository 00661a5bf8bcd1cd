import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { getDb } from "@/db/client";
import { readBodyLimited } from "./body";
import type { EndpointSpec } from "@/lib/api/endpoints";
import { claimIdempotencyKey, commandKeyFor, IDEMPOTENCY_KEY, recordApiCall, releaseIdempotencyKey, requestFingerprint } from "@/lib/api/idempotency";
import { apiRateWindowSeconds, defaultApiRateLimit, rateLimitHeaders, recordBadToken, type RateLimitState } from "@/lib/api/rate-limit";
import { authenticateApiRequest, type ApiPrincipal } from "@/lib/api/tokens";
import { clientAddress } from "@/lib/auth/client-address";
import { DomainError, isDomainError } from "@/lib/errors";
import { problemFor, problemOf, problemResponse } from "@/lib/http-errors";

// The one wrapper of every /api/v1 route handler: token → rate limit → kind
// and scope → path, query and body (zod, from the endpoint's spec) →
// Idempotency-Key → one lib call → JSON, every refusal an RFC 9457 problem
// (lib/http-errors), every call audited with the token's name.

/** Largest request body accepted (413 beyond). */
export const MAX_API_BODY_BYTES = 64 * 1024;

type Output<T> = T extends z.ZodType ? z.output<T> : undefined;

export type ApiContext<E extends EndpointSpec> = {
  principal: ApiPrincipal;
  /** The reseller of a reseller token (always set for reseller-only endpoints). */
  resellerId: string;
  params: Record<string, string>;
  query: Output<E["query"]>;
  body: Output<E["body"]>;
  /** The key lib's command runs under: derived from the token owner and the Idempotency-Key. */
  commandKey: string;
  request: Request;
};

type RouteContext = { params?: Promise<Record<string, string | string[]>> };

function json(status: number, body: string, headers: Record<string, string>): Response {
  return new Response(body, { status, headers: { "content-type": "application/json", "cache-control": "no-store", ...headers } });
}

/** JSON with bigints as strings (presenters turn money into decimal strings; this is the safety net). */
function encode(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** Field messages keyed by the full path (`rates.0.rate`), "body" for the body as a whole. */
function zodFields(error: z.ZodError, root: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : root;
    // An unknown field is refused by name.
    if (issue.code === "unrecognized_keys") {
      for (const k of issue.keys) fields[issue.path.length ? `${key}.${k}` : k] ??= "Unknown field.";
      continue;
    }
    fields[key] ??= issue.message;
  }
  return fields;
}

function validationError(fields: Record<string, string>): DomainError {
  const [first] = Object.entries(fields);
  return new DomainError("VALIDATION_FAILED", first ? `${first[0]}: ${first[1]}` : undefined, fields);
}

async function readBody(request: Request): Promise<unknown> {
  const type = request.headers.get("content-type");
  const bytes = await readBodyLimited(request, MAX_API_BODY_BYTES);
  if (!bytes) throw new DomainError("PAYLOAD_TOO_LARGE", `The request body is larger than ${MAX_API_BODY_BYTES} bytes.`);
  const text = Buffer.from(bytes).toString("utf8");
  if (text.trim() === "") return {};
  if (type && !/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) throw new DomainError("UNSUPPORTED_MEDIA_TYPE");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DomainError("VALIDATION_FAILED", "The body is not valid JSON.", { body: "The body is not valid JSON." });
  }
  // PostgreSQL text cannot hold NUL: refused here with a message, as the forms do, not as a database error.
  if (/\\u0000/i.test(text)) throw new DomainError("VALIDATION_FAILED", NUL_MESSAGE, { body: NUL_MESSAGE });
  return parsed;
}

const NUL_MESSAGE = "Text may not contain NUL characters.";

function assertAccess(spec: EndpointSpec, principal: ApiPrincipal): void {
  const kind = principal.token.kind;
  const needed = kind === "admin" ? spec.access.admin : spec.access.reseller;
  if (!needed) throw new DomainError("FORBIDDEN", `This endpoint is not available to ${kind} tokens.`);
  if (needed.length && !needed.some((scope) => (principal.scopes as string[]).includes(scope))) {
    throw new DomainError("FORBIDDEN", `This token needs the ${needed.join(" or ")} scope${needed.length > 1 ? "" : ""}.`);
  }
  if (kind === "reseller" && !principal.resellerId) throw new DomainError("FORBIDDEN");
}

/**
 * A /api/v1 route handler for one endpoint spec. `handle` gets the checked
 * input and returns the success body; anything it throws is answered through
 * the one error mapping.
 */
export function apiRoute<E extends EndpointSpec>(spec: E, handle: (context: ApiContext<E>) => Promise<unknown>) {
  return async (request: Request, context: RouteContext = {}): Promise<Response> => {
    const db = getDb();
    const path = new URL(request.url).pathname;
    let principal: ApiPrincipal | null = null;
    let headers: Record<string, string> = {};
    let slot: { ownerUserId: string; key: string } | null = null;
    let replayed = false;

    /**
     * Stores the first answer under the Idempotency-Key (if any) and audits the
     * call, in one round trip committed without waiting for the disk
     * (recordApiCall): a crash can lose the last instant's request log, never
     * money, which lib's own transaction commits durably with its own audit row.
     */
    const finish = async (response: Response): Promise<Response> => {
      const audit = principal && response.status !== 429;
      const store = slot && response.status < 500 ? { slot, response: { status: response.status, body: await response.clone().text() } } : null;
      if (!audit && !store) return response;
      await recordApiCall(db, {
        answer: store,
        audit:
          principal && audit
            ? {
                actorUserId: principal.actor.userId!,
                actorLabel: principal.actor.label,
                tokenId: principal.token.id,
                resellerId: principal.resellerId,
                ipAddress: principal.actor.ipAddress ?? null,
                details: { token: principal.token.name, operation: spec.operationId, method: request.method, path, status: response.status, ...(replayed ? { replayed: true } : {}) },
              }
            : null,
      }).catch((error) => console.error("api bookkeeping failed", error));
      return response;
    };

    try {
      const authorization = request.headers.get("authorization") ?? "";
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const url = new URL(request.url);

      // The body is read (not yet validated) before the token check, so the
      // Idempotency-Key can be claimed in the token check's own round trip.
      // Its refusals (413, 415, bad JSON) still come after a 401.
      let raw: unknown = undefined;
      let bodyError: unknown = undefined;
      if (spec.body) {
        try {
          raw = await readBody(request);
        } catch (error) {
          bodyError = error;
        }
      }
      const key = request.headers.get("idempotency-key");
      const claimable = key !== null && spec.method !== "GET" && IDEMPOTENCY_KEY.test(key) && bodyError === undefined;
      const fingerprint = claimable ? requestFingerprint(request.method, url.pathname, raw) : "";

      // The token, its owner, its last use, the rate-limit count and the key's claim: one round trip.
      const authenticated = match
        ? await authenticateApiRequest(db, match[1]!, clientAddress(request.headers), {
            rate: { windowSeconds: apiRateWindowSeconds(), defaultLimit: defaultApiRateLimit() },
            claim: claimable ? { key: key!, fingerprint } : undefined,
          })
        : null;
      if (authenticated?.blockedForSeconds) return tooManyBadTokens(authenticated.blockedForSeconds);
      principal = authenticated?.principal ?? null;
      if (!authenticated || !principal) {
        // A token was presented and failed: counted against the client address, so guessing is throttled.
        if (authorization.trim()) {
          const failures = await recordBadToken(db, clientAddress(request.headers));
          if (!failures.allowed) return tooManyBadTokens(failures.resetSeconds);
        }
        return problemResponse(problemFor("TOKEN_INVALID", authorization ? undefined : "Send the API token as Authorization: Bearer lm_live_…"), { "WWW-Authenticate": 'Bearer realm="lastmile"' });
      }
      const ownerUserId = principal.user.id;
      // Claimed above: answered or let go below, whatever happens.
      if (authenticated.claimed) slot = { ownerUserId, key: key! };
      const rate = rateState(authenticated.rate, principal.token.rateLimit ?? defaultApiRateLimit());
      headers = rateLimitHeaders(rate);
      if (!rate.allowed) {
        return await finish(problemResponse(problemFor("RATE_LIMITED", `This token may make ${rate.limit} requests per window. Retry after ${rate.resetSeconds} s.`), { ...headers, "Retry-After": String(rate.resetSeconds) }));
      }
      assertAccess(spec, principal);

      const rawParams = (await context.params) ?? {};
      const params = Object.fromEntries(Object.entries(rawParams).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      let query: unknown = undefined;
      if (spec.query) {
        if ([...url.searchParams.values()].some((value) => value.includes("\0"))) throw new DomainError("VALIDATION_FAILED", NUL_MESSAGE, { query: NUL_MESSAGE });
        const parsed = spec.query.safeParse(Object.fromEntries(url.searchParams));
        if (!parsed.success) throw validationError(zodFields(parsed.error, "query"));
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (spec.body) {
        if (bodyError !== undefined) throw bodyError;
        const parsed = spec.body.safeParse(raw);
        if (!parsed.success) throw validationError(zodFields(parsed.error, "body"));
        body = parsed.data;
      }

      if (spec.idempotent && key === null) throw new DomainError("IDEMPOTENCY_KEY_REQUIRED");
      if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
        throw new DomainError("IDEMPOTENCY_KEY_REQUIRED", "The Idempotency-Key must be 1 to 255 printable ASCII characters.");
      }
      if (key !== null && spec.method !== "GET" && !slot) {
        // Another request holds the key (or held it): replay, conflict, or wait for it.
        const claim = await claimIdempotencyKey(db, { ownerUserId, key, tokenId: principal.token.id, fingerprint });
        if (claim.kind === "replay") {
          replayed = true;
          const stored = claim.response;
          const isProblem = stored.status >= 400;
          return await finish(
            new Response(stored.body, {
              status: stored.status,
              headers: { "content-type": isProblem ? "application/problem+json" : "application/json", "cache-control": "no-store", "Idempotent-Replayed": "true", ...headers },
            }),
          );
        }
        slot = { ownerUserId, key };
      }

      let response: Response;
      try {
        const data = await handle({
          principal,
          resellerId: principal.resellerId ?? "",
          params,
          query: query as ApiContext<E>["query"],
          body: body as ApiContext<E>["body"],
          commandKey: commandKeyFor(ownerUserId, key ?? randomUUID()),
          request,
        });
        response = json(spec.success.status, encode(data), headers);
      } catch (error) {
        response = errorAnswer(error, headers);
      }
      if (slot && response.status >= 500) {
        await releaseIdempotencyKey(db, slot);
        slot = null;
      }
      return await finish(response);
    } catch (error) {
      // Refused before the command ran (access, validation): the key is let go, not answered.
      if (slot) await releaseIdempotencyKey(db, slot).catch(() => undefined);
      slot = null;
      return finish(errorAnswer(error, headers));
    }
  };
}

/** The answer to an address past its budget of failed token checks (no token is looked at). */
function tooManyBadTokens(resetSeconds: number): Response {
  return problemResponse(problemFor("RATE_LIMITED", `Too many requests with an invalid API token from this address. Retry after ${resetSeconds} s.`), { "Retry-After": String(resetSeconds) });
}

/** Where the token's window stands after this request. */
function rateState(counted: { count: number; resetSeconds: number } | null, limit: number): RateLimitState {
  const count = counted?.count ?? 0;
  return { limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, counted?.resetSeconds ?? 1), allowed: count <= limit };
}

function errorAnswer(error: unknown, headers: Record<string, string>): Response {
  if (isDomainError(error) && error.code !== "INTERNAL") return problemResponse(problemOf(error), headers);
  const correlationId = randomUUID();
  console.error(`api request failed [${correlationId}]`, error);
  return problemResponse(problemOf(error, correlationId), headers);
}
