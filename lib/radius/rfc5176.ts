import "server-only";
import { randomInt } from "node:crypto";
import { createSocket } from "node:dgram";
import { existsSync } from "node:fs";
import { isIP } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import radius from "radius";

// RFC 5176 Disconnect-Request / CoA-Request to a router (NAS), with the
// well-kept `radius` package doing the encoding, the request authenticator
// and the check of the answer's authenticator (a forged or mis-keyed answer
// is an error, never an ACK).

// Beside this file when run from source (scripts, tests); from the project root when bundled.
const mikrotik = [path.join(path.dirname(fileURLToPath(import.meta.url)), "dictionaries", "dictionary.mikrotik"), path.join(process.cwd(), "lib", "radius", "dictionaries", "dictionary.mikrotik")].find((p) => existsSync(p));
if (mikrotik) radius.add_dictionary(mikrotik);

export type Rfc5176Outcome = { outcome: "ack" | "nak" | "timeout" | "error"; detail: string | null };

export type Rfc5176Request = {
  kind: "disconnect" | "coa";
  host: string;
  port: number;
  secret: string;
  /** As the `radius` package takes them: [name, value], or ["Vendor-Specific", vendorId, [[name, value]]]. */
  attributes: unknown[][];
  timeoutMs?: number;
};

export function sendRfc5176(request: Rfc5176Request): Promise<Rfc5176Outcome> {
  const code = request.kind === "disconnect" ? "Disconnect-Request" : "CoA-Request";
  const family = isIP(request.host);
  if (!family) return Promise.resolve({ outcome: "error", detail: `not an IP address: ${request.host}` });
  let packet: Buffer;
  try {
    packet = radius.encode({ code, secret: request.secret, identifier: randomInt(256), attributes: request.attributes });
  } catch (error) {
    return Promise.resolve({ outcome: "error", detail: `could not encode the request: ${(error as Error).message}` });
  }
  return new Promise((resolve) => {
    const socket = createSocket(family === 6 ? "udp6" : "udp4");
    let done = false;
    const finish = (result: Rfc5176Outcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.close();
      resolve(result);
    };
    const timer = setTimeout(() => finish({ outcome: "timeout", detail: `no answer from ${request.host}:${request.port} in ${request.timeoutMs ?? 3000} ms` }), request.timeoutMs ?? 3000);
    socket.on("error", (error) => finish({ outcome: "error", detail: error.message }));
    socket.on("message", (message, from) => {
      if (from.address !== request.host || from.port !== request.port) return; // not our router: ignore
      try {
        if (!radius.verify_response({ request: packet, response: message, secret: request.secret })) {
          return finish({ outcome: "error", detail: "the answer's authenticator does not match (wrong shared secret?)" });
        }
        const answer = radius.decode({ packet: message, secret: request.secret });
        if (answer.identifier !== packet[1]) return;
        const cause = answer.attributes["Error-Cause"] as string | undefined;
        if (answer.code === "Disconnect-ACK" || answer.code === "CoA-ACK") return finish({ outcome: "ack", detail: null });
        if (answer.code === "Disconnect-NAK" || answer.code === "CoA-NAK") return finish({ outcome: "nak", detail: cause ? String(cause) : null });
        finish({ outcome: "error", detail: `unexpected answer ${answer.code}` });
      } catch (error) {
        finish({ outcome: "error", detail: `unreadable answer: ${(error as Error).message}` });
      }
    });
    socket.send(packet, request.port, request.host, (error) => {
      if (error) finish({ outcome: "error", detail: error.message });
    });
  });
}
