import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import next from "next";
import {
  CLIENT_ADDRESS_HEADER,
  clientAddressHeaderValue,
  installClientAddressKey,
  parseTrustedProxies,
  resolveClientAddress,
} from "../lib/auth/client-address";

/**
 * Lastmile's HTTP server: Next.js behind a thin front that decides each
 * request's client address from the socket (and, only when
 * LASTMILE_TRUSTED_PROXIES says so, the proxies' X-Forwarded-For), because
 * the app's own code cannot see the socket and `next start` passes on
 * whatever X-Forwarded-For a client sends.
 */
const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT ?? 3000);

async function main() {
  const trust = parseTrustedProxies(process.env.LASTMILE_TRUSTED_PROXIES);
  const key = randomBytes(24).toString("base64url");
  installClientAddressKey(key);
  const app = next({ dev, dir: process.cwd(), port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = createServer((request, response) => {
    const address = resolveClientAddress(request.socket.remoteAddress, request.headers["x-forwarded-for"], trust);
    // Overwrites whatever a client sent under this name; only this value carries the key.
    request.headers[CLIENT_ADDRESS_HEADER] = clientAddressHeaderValue(key, address);
    void handle(request, response);
  });
  if (dev) server.on("upgrade", app.getUpgradeHandler());
  server.listen(port, () => {
    const proxies = trust.kind === "none" ? "none (the socket's address counts)" : trust.kind === "hops" ? `${trust.hops} in front` : trust.text;
    console.log(`Ready on port ${port} (trusted proxies: ${proxies})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
