import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs scripts/serve.ts as `npm start` does, with `env` added; resolves with its exit code and output. */
function runServer(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/serve.ts"], { cwd: ROOT, env: { ...process.env, NODE_ENV: "production", ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("the server's supervisor (scripts/serve.ts)", () => {
  it("gives up with exit code 1 when its workers keep dying right after they start", async () => {
    // A port no socket can have: every worker fails at once, over and over.
    const { code, output } = await runServer({ LASTMILE_WORKERS: "2", PORT: "70000" });
    expect(output).toMatch(/Workers keep stopping right after they start \(5 in a row\); giving up\./);
    // A process manager must see the failure, not a clean stop.
    expect(code).toBe(1);
  }, 60_000);
});
