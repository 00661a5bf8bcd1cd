import createClient, { type Middleware } from "openapi-fetch";
import { endpoints, type EndpointSpec } from "@/lib/api/endpoints";
import * as me from "@/app/api/v1/me/route";
import * as packages from "@/app/api/v1/packages/route";
import * as customers from "@/app/api/v1/customers/route";
import * as customer from "@/app/api/v1/customers/[id]/route";
import * as suspend from "@/app/api/v1/customers/[id]/suspend/route";
import * as reactivate from "@/app/api/v1/customers/[id]/reactivate/route";
import * as activations from "@/app/api/v1/customers/[id]/activations/route";
import * as payments from "@/app/api/v1/customers/[id]/payments/route";
import * as renewals from "@/app/api/v1/subscriptions/[id]/renewals/route";
import * as quotes from "@/app/api/v1/quotes/route";
import * as statement from "@/app/api/v1/statement/route";
import * as onlinePayments from "@/app/api/v1/online-payments/route";
import * as resellers from "@/app/api/v1/resellers/route";
import * as balance from "@/app/api/v1/resellers/[id]/balance/route";
import * as cashReceived from "@/app/api/v1/resellers/[id]/cash-received/route";
import * as receivables from "@/app/api/v1/receivables/route";
import * as openapi from "@/app/api/v1/openapi.json/route";
import type { paths } from "./api-schema";

// The API's route handlers, called in-process: a fetch that routes a request
// to the handler Next.js would (by the OpenAPI path template), and a typed
// client (openapi-fetch over the generated types) on top of it.

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<"GET" | "POST" | "PATCH", Handler>>;

/** Every /api/v1 path and the module that serves it. */
export const routeModules: Record<string, RouteModule> = {
  "/me": me,
  "/packages": packages,
  "/customers": customers,
  "/customers/{id}": customer,
  "/customers/{id}/suspend": suspend,
  "/customers/{id}/reactivate": reactivate,
  "/customers/{id}/activations": activations,
  "/customers/{id}/payments": payments,
  "/subscriptions/{id}/renewals": renewals,
  "/quotes": quotes,
  "/statement": statement,
  "/online-payments": onlinePayments,
  "/resellers": resellers,
  "/resellers/{id}/balance": balance,
  "/resellers/{id}/cash-received": cashReceived,
  "/receivables": receivables,
  "/openapi.json": openapi as RouteModule,
};

export const BASE = "http://lastmile.test/api/v1";

function match(template: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const pattern = new RegExp(`^${template.replace(/\{(\w+)\}/g, (_m, name: string) => (names.push(name), "([^/]+)"))}$`);
  const found = pattern.exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1]!)]));
}

/** A fetch that answers /api/v1 requests with the route handlers. */
export async function apiFetch(input: Request | string | URL, init?: RequestInit): Promise<Response> {
  const request = input instanceof Request ? input : new Request(input, init);
  const path = new URL(request.url).pathname.replace(/^\/api\/v1/, "");
  for (const [template, module] of Object.entries(routeModules)) {
    const params = match(template, path);
    if (!params) continue;
    const handler = module[request.method as "GET" | "POST" | "PATCH"];
    if (!handler) return new Response(null, { status: 405 });
    return handler(request, { params: Promise.resolve(params) });
  }
  return new Response(null, { status: 404 });
}

/** The typed client for one token. */
export function apiClient(token?: string) {
  const client = createClient<paths>({ baseUrl: BASE, fetch: apiFetch });
  if (token) {
    const auth: Middleware = {
      onRequest({ request }) {
        request.headers.set("authorization", `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}

/** Raw call (for hostile requests the typed client would not let one write). */
export function rawCall(method: string, path: string, options: { token?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  if (options.body !== undefined && !headers.has("content-type")) headers.set("content-type", "application/json");
  return apiFetch(`${BASE}${path}`, { method, headers, body: options.body });
}

/** The documented success schema of an operation (the zod schema the document was generated from). */
export function successSchema(name: keyof typeof endpoints) {
  return (endpoints[name] as EndpointSpec).success.schema;
}
