// Apart from lib/config.ts: node:net has no place in a browser bundle, and client components import lib/config.
import { isIP } from "node:net";

/**
 * The address `npm start` listens on (LASTMILE_HOST): an IP address, or
 * localhost. Unset, every interface, as Node does: right in a container or
 * behind a proxy on another machine; a server whose proxy runs beside it
 * should say 127.0.0.1 so that nothing else reaches the app past the proxy.
 */
export function installListenHost(value: string | undefined = process.env.LASTMILE_HOST): string | undefined {
  const text = (value ?? "").trim();
  if (text === "") return undefined;
  if (text !== "localhost" && isIP(text) === 0) throw new Error(`LASTMILE_HOST must be an IP address (such as 127.0.0.1 or ::1) or localhost, got "${value}"`);
  return text;
}
