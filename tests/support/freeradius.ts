import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeRadiusConfig } from "@/lib/radius/config";

export const FREERADIUS = ["/usr/sbin/freeradius", "/usr/sbin/radiusd"].find((p) => existsSync(p));
export const RADCLIENT = ["/usr/bin/radclient"].find((p) => existsSync(p));

/** A UDP port nothing listens on right now (the OS picks it). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket("udp4");
    socket.once("error", reject);
    socket.bind(0, "127.0.0.1", () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

export type RunningFreeRadius = { authPort: number; acctPort: number; secret: string; log: () => string; stop: () => Promise<void> };

/**
 * Starts `freeradius -X` on free high ports with the configuration
 * radius:config writes, against the given database as the `radius` role.
 */
export async function startFreeRadius(database: { host: string; port: number; name: string; password: string }): Promise<RunningFreeRadius> {
  if (!FREERADIUS) throw new Error("freeradius is not installed");
  const dir = mkdtempSync(path.join(tmpdir(), "lastmile-freeradius-"));
  const [authPort, acctPort, innerTunnelPort] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
  const secret = "lastmile-test-secret";
  const raddb = writeRadiusConfig({
    dir: path.join(dir, "raddb"),
    database: { ...database, user: "radius" },
    authPort,
    acctPort,
    innerTunnelPort,
    listenAddress: "127.0.0.1",
    localhostSecret: secret,
    stayAsStartingUser: true,
    logDir: dir,
  });
  // The debug output goes to a file, not a pipe: radclient and radtest run synchronously, and while they do
  // nothing would read a pipe, so FreeRADIUS would block writing a long request's log and answer nothing.
  const logFile = path.join(dir, "freeradius.log");
  const fd = openSync(logFile, "a");
  const child: ChildProcess = spawn(FREERADIUS, ["-X", "-d", raddb, "-l", "stdout"], { stdio: ["ignore", fd, fd], env: { ...process.env, TZ: "UTC" } });
  closeSync(fd);
  const output = () => readFileSync(logFile, "utf8");
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`freeradius did not get ready:\n${output().slice(-4000)}`));
    }, 60_000);
    const poll = setInterval(() => {
      if (output().includes("Ready to process requests")) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 100);
    child.once("exit", (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`freeradius exited with ${code}:\n${output().slice(-4000)}`));
    });
  });
  return {
    authPort,
    acctPort,
    secret,
    log: output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export type RadiusReply = { code: string; attributes: Record<string, string>; raw: string };

/** Sends one packet with radclient (attributes as `Name = value` lines) and returns the reply's code and attributes. */
export function radclient(port: number, type: "auth" | "acct", secret: string, attributes: Record<string, string>): RadiusReply {
  const input = Object.entries(attributes).map(([k, v]) => `${k} = ${v}`).join("\n") + "\n";
  const run = spawnSync(RADCLIENT!, ["-x", "-r", "1", "-t", "3", `127.0.0.1:${port}`, type, secret], { input, encoding: "utf8", timeout: 20_000 });
  const raw = `${run.stdout}${run.stderr}`;
  const code = /Received (\S+)/.exec(raw)?.[1] ?? "(no reply)";
  const received = raw.slice(raw.indexOf("Received"));
  const attrs: Record<string, string> = {};
  for (const m of received.matchAll(/^\s+([A-Za-z0-9-]+) = (.*)$/gm)) attrs[m[1]!] = m[2]!.replace(/^"|"$/g, "");
  return { code, attributes: attrs, raw };
}

export const RADTEST = ["/usr/bin/radtest"].find((p) => existsSync(p));

/** `radtest -t pap USER PASS 127.0.0.1:PORT 0 SECRET`, as an operator would type it. */
export function radtest(port: number, secret: string, username: string, password: string): RadiusReply {
  const run = spawnSync(RADTEST!, ["-t", "pap", username, password, `127.0.0.1:${port}`, "0", secret], { encoding: "utf8", timeout: 30_000 });
  const raw = `${run.stdout}${run.stderr}`;
  const code = /Received (\S+)/.exec(raw)?.[1] ?? "(no reply)";
  const received = raw.slice(Math.max(0, raw.indexOf("Received")));
  const attrs: Record<string, string> = {};
  for (const m of received.matchAll(/^\s+([A-Za-z0-9-]+) = (.*)$/gm)) attrs[m[1]!] = m[2]!.replace(/^"|"$/g, "");
  return { code, attributes: attrs, raw };
}
