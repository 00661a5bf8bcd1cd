import "server-only";
import { randomUUID } from "node:crypto";
import { authorize, type Access } from "@/lib/auth/guard";
import type { SessionUser } from "@/lib/auth/session-user";
import { DomainError, isDomainError } from "@/lib/errors";
import { problemOf, problemResponse } from "@/lib/http-errors";
import { currentUser } from "./session";

/**
 * The answer for anything a route handler throws: a domain error becomes its
 * problem+json (lib/http-errors); anything else is logged here with a
 * correlation id and answered as a generic 500 that carries only that id.
 */
export function errorResponse(error: unknown, options: { label?: string; headers?: HeadersInit } = {}): Response {
  if (isDomainError(error) && error.code !== "INTERNAL") return problemResponse(problemOf(error), options.headers);
  const correlationId = randomUUID();
  console.error(`${options.label ?? "route handler"} failed [${correlationId}]`, error);
  return problemResponse(problemOf(error, correlationId), options.headers);
}

/**
 * Wraps a route handler: whatever it throws is answered through errorResponse,
 * so no handler writes a refusal or a 500 by hand.
 */
export function routeHandler<C = unknown>(
  handle: (request: Request, context: C) => Promise<Response> | Response,
  options: { label?: string; headers?: HeadersInit } = {},
) {
  return async (request: Request, context: C): Promise<Response> => {
    try {
      return await handle(request, context);
    } catch (error) {
      return errorResponse(error, options);
    }
  };
}

type RouteUser<A extends Access> = A extends { role: "reseller" } ? SessionUser & { resellerId: string } : SessionUser;

/**
 * A route handler for a signed-in role (and permission), like guardedAction
 * for actions: the session is re-read and checked on the server on every
 * request; 401 signed out, 403 wrong role or missing permission.
 */
export function guardedRoute<A extends Access, C = unknown>(access: A, handle: (request: Request, user: RouteUser<A>, context: C) => Promise<Response> | Response) {
  return routeHandler<C>(async (request, context) => {
    const user = authorize(await currentUser(), access);
    if (access.role === "reseller" && !user.resellerId) throw new DomainError("FORBIDDEN");
    return handle(request, user as RouteUser<A>, context);
  });
}
