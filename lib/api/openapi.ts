import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from "zod-openapi";
import { errorStatus } from "@/lib/http-errors";
import { adminScopeCatalog, permissionCatalog } from "@/lib/permissions";
import { endpoints, type EndpointSpec } from "./endpoints";
import { problem } from "./schemas";

// The OpenAPI 3.1 document of /api/v1, generated from the endpoint specs and
// their zod schemas (./endpoints, ./schemas): the schemas the handlers
// validate with are the schemas the document publishes.

const problemContent = { "application/problem+json": { schema: problem } };
const rateHeaders = {
  "RateLimit-Limit": { description: "Requests allowed in the current window.", schema: { type: "integer" as const } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" as const } },
  "RateLimit-Reset": { description: "Seconds until the window resets.", schema: { type: "integer" as const } },
};

const idempotencyHeader = z.object({
  "Idempotency-Key": z.string().min(1).max(255).meta({
    description: "A unique value per operation (e.g. a UUID). A repeat with the same key and body returns the first response with `Idempotent-Replayed: true`; the same key with another body is 409 IDEMPOTENCY_CONFLICT.",
  }),
});

function accessText(spec: EndpointSpec): string {
  const parts: string[] = [];
  if (spec.access.reseller) parts.push(`reseller token${spec.access.reseller.length ? ` with ${spec.access.reseller.join(" or ")}` : ""}`);
  if (spec.access.admin) parts.push(`admin token${spec.access.admin.length ? ` with ${spec.access.admin.join(" or ")}` : ""}`);
  return `Requires ${parts.map((p) => (p.startsWith("admin") ? `an ${p}` : `a ${p}`)).join(", or ")}.`;
}

function operation(spec: EndpointSpec): ZodOpenApiOperationObject {
  const refusals: Record<string, { description: string; content: typeof problemContent }> = {
    "401": { description: "Missing, unknown, revoked or expired token (TOKEN_INVALID).", content: problemContent },
    "403": { description: "The token's kind or scopes do not allow this (FORBIDDEN).", content: problemContent },
    "422": { description: "Validation failed (VALIDATION_FAILED, with per-field messages in `fields`).", content: problemContent },
    "429": { description: "Rate limit exceeded (RATE_LIMITED); see Retry-After.", content: problemContent },
  };
  if (spec.params || spec.method !== "GET") refusals["404"] = { description: "Not found, or outside the token's scope.", content: problemContent };
  if (spec.method !== "GET") {
    refusals["409"] = { description: "The books or the record refuse it (INSUFFICIENT_BALANCE, COLLECTION_LIMIT_REACHED, …), IDEMPOTENCY_CONFLICT or REQUEST_IN_PROGRESS.", content: problemContent };
    refusals["413"] = { description: "The body is larger than 64 KiB (PAYLOAD_TOO_LARGE).", content: problemContent };
  }
  if (spec.idempotent) refusals["400"] = { description: "No Idempotency-Key header (IDEMPOTENCY_KEY_REQUIRED).", content: problemContent };
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    description: [spec.description, accessText(spec)].filter(Boolean).join("\n\n"),
    tags: [spec.access.admin && !spec.access.reseller ? "Admin" : "Reseller"],
    requestParams: {
      ...(spec.params ? { path: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.idempotent ? { header: idempotencyHeader } : {}),
    },
    ...(spec.body ? { requestBody: { required: true, content: { "application/json": { schema: spec.body } } } } : {}),
    responses: {
      [String(spec.success.status)]: { description: spec.success.description, headers: rateHeaders, content: { "application/json": { schema: spec.success.schema } } },
      ...refusals,
      default: { description: "Unexpected error (INTERNAL, with a correlationId to quote).", content: problemContent },
    },
  };
}

/** The document, built once per process. */
let built: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(serverUrl = "/api/v1") {
  if (built) return { ...built, servers: [{ url: serverUrl }] };
  const paths: ZodOpenApiPathsObject = {};
  for (const spec of Object.values(endpoints) as EndpointSpec[]) {
    const item = (paths[spec.path] ??= {}) as Record<string, ZodOpenApiOperationObject>;
    item[spec.method.toLowerCase()] = operation(spec);
  }
  built = createDocument({
    openapi: "3.1.0",
    info: {
      title: "Lastmile API",
      version: "1.0.0",
      description: [
        "Resellers' kiosks, apps and scripts, and the admin's automation, over HTTP: the same rules and scope as the portal and the admin console.",
        "Authenticate with `Authorization: Bearer lm_live_…`. Money is a decimal string in the install's currency. Lists are newest first (resellers by name): pass `next_cursor` as `starting_after`.",
        "Every POST that creates or moves something needs an `Idempotency-Key` header. Errors are RFC 9457 `application/problem+json` with a stable `code`.",
        `Reseller scopes: ${permissionCatalog.map((p) => p.key).join(", ")}. Admin scopes: ${adminScopeCatalog.map((p) => p.key).join(", ")}.`,
        `Error codes and statuses: ${Object.entries(errorStatus).map(([code, status]) => `${code} ${status}`).join(", ")}.`,
      ].join("\n\n"),
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token (lm_live_…)." } } },
    paths,
  });
  return built;
}
