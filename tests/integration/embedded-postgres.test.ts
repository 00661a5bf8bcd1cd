import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { passwordFileOf, startEmbeddedPostgres, type RunningPostgres } from "@/db/embedded";

// What `npm start` relies on: data kept between runs, and a crash does not lock the next start out.
const root = mkdtempSync(path.join(os.tmpdir(), "lastmile-embedded-"));
chmodSync(root, 0o755); // as root, PostgreSQL runs as its own OS user and must reach the folder
const dataDir = path.join(root, "pg");
const running: RunningPostgres[] = [];

async function start() {
  const server = await startEmbeddedPostgres({ dataDir });
  running.push(server);
  return server;
}

/** Stops a server this file started (each only once: stopping a stopped server never returns). */
async function stop(server: RunningPostgres) {
  running.splice(running.indexOf(server), 1);
  await server.stop();
}

async function query<T extends object>(server: RunningPostgres, text: string): Promise<T[]> {
  const sql = postgres(server.url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end({ timeout: 5 });
  }
}

async function waitForExit(pid: number) {
  for (let i = 0; i < 200; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process ${pid} did not exit`);
}

afterAll(async () => {
  for (const server of [...running]) await stop(server).catch(() => {});
  rmSync(root, { recursive: true, force: true });
});

describe("embedded PostgreSQL", () => {
  it("keeps its data from one start to the next, and refuses a second server on the same data", { timeout: 120_000 }, async () => {
    const first = await start();
    await query(first, "create table kept (note text); insert into kept values ('from the first run')");
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/already running/);
    await stop(first);

    const second = await start();
    expect(await query<{ note: string }>(second, "select note from kept")).toEqual([{ note: "from the first run" }]);
    await stop(second);
  });

  it("starts again after the server was killed, with every committed row", { timeout: 120_000 }, async () => {
    const server = await start();
    await query(server, "insert into kept values ('committed before the crash')");
    const pid = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(pid, "SIGKILL"); // a power cut, as far as the data directory can tell: postmaster.pid stays behind
    await waitForExit(pid);
    running.splice(running.indexOf(server), 1); // nothing left to stop

    const restarted = await start();
    const notes = await query<{ note: string }>(restarted, "select note from kept order by note");
    expect(notes.map((n) => n.note)).toEqual(["committed before the crash", "from the first run"]);
    await stop(restarted);
  });

  it("generates its superuser password once into a 0600 file beside the data, and replaces the well-known one of older data", { timeout: 120_000 }, async () => {
    const canConnect = async (url: string) => {
      const sql = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
      try {
        await sql`select 1`;
        return true;
      } catch {
        return false;
      } finally {
        await sql.end({ timeout: 5 });
      }
    };
    const server = await start();
    const file = passwordFileOf(dataDir);
    const password = readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(new URL(server.url).password).toBe(encodeURIComponent(password));
    const legacy = new URL(server.url);
    legacy.password = "lastmile";
    expect(await canConnect(legacy.toString())).toBe(false);

    // Data made before generated passwords: the old fixed password and no password file.
    await query(server, "alter role lastmile password 'lastmile'");
    await stop(server);
    rmSync(file);
    const upgraded = await start();
    const replaced = readFileSync(file, "utf8").trim();
    expect(replaced).not.toBe("lastmile");
    const oldUrl = new URL(upgraded.url);
    oldUrl.password = "lastmile";
    expect(await canConnect(oldUrl.toString())).toBe(false);
    expect(await canConnect(upgraded.url)).toBe(true);
    expect(await query<{ n: number }>(upgraded, "select count(*)::int as n from kept")).toEqual([{ n: 2 }]);
    await stop(upgraded);
  });
});
