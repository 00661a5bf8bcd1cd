// The interactive API reference (/docs/api): Scalar's standalone bundle, served
// from this install (never a CDN), started by a script file rather than an
// inline script, under its own Content-Security-Policy: scripts from this
// origin only, requests only to this origin (the document and "try it" calls).

export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Scalar themes itself with inline style attributes and <style> elements.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const docsHtml = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Lastmile API reference</title>
  </head>
  <body>
    <noscript>The interactive reference needs JavaScript. The OpenAPI document itself is at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</noscript>
    <div id="app"></div>
    <script src="/docs/api/standalone.js"></script>
    <script src="/docs/api/init.js"></script>
  </body>
</html>
`;

export const docsInit = `Scalar.createApiReference("#app", {
  url: "/api/v1/openapi.json",
  withDefaultFonts: false,
  hideClientButton: false,
  telemetry: false,
  showDeveloperTools: "never",
  agent: { disabled: true },
  mcp: { disabled: true },
});
`;
