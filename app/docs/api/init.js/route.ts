import { docsInit } from "@/lib/api/docs-page";

export function GET() {
  return new Response(docsInit, { headers: { "content-type": "text/javascript; charset=utf-8", "x-content-type-options": "nosniff", "cache-control": "public, max-age=300" } });
}
