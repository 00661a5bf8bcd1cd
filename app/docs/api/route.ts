import { DOCS_CSP, docsHtml } from "@/lib/api/docs-page";

/** The interactive API reference (Scalar), public like the document it renders. */
export function GET() {
  return new Response(docsHtml, {
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": DOCS_CSP, "x-content-type-options": "nosniff", "cache-control": "public, max-age=300" },
  });
}
