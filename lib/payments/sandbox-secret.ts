import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The sandbox signs its events like Stripe does, with a secret generated once
 * into the data directory (shared by every process on this machine).
 */
const known = new Map<string, string>();

export function sandboxWebhookSecret(env: NodeJS.ProcessEnv = process.env): string {
  const dir = path.resolve(env.LASTMILE_DATA_DIR ?? ".data");
  const file = path.join(dir, "sandbox-webhook-secret");
  const secret = known.get(file) ?? readOrCreate(dir, file);
  known.set(file, secret);
  return secret;
}

function readOrCreate(dir: string, file: string): string {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    try {
      // "wx": if another process wrote it first, read theirs.
      writeFileSync(file, `whsec_sandbox_${randomBytes(24).toString("base64url")}`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    return readFileSync(file, "utf8").trim();
  }
}
