import { openApiDocument } from "@/lib/api/openapi";
import { routeHandler } from "@/app/_server/route";

/** The published OpenAPI 3.1 document (public: it describes the API, it reveals no data). */
export const GET = routeHandler(() => Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } }));
