import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Database } from "@/db/client";

// Where a benchmark's time goes, read from /proc: CPU per process group, the
// PostgreSQL server's processes and this process, and the app's memory.

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** Every process this user may read: its pid, its /proc/PID/stat fields after the name, and a reader for its other files. */
function* processes(): Generator<{ pid: number; fields: string[]; read: (file: string) => string }> {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      yield { pid: Number(name), fields: stat.slice(stat.lastIndexOf(")") + 2).split(" "), read: (file) => readFileSync(`/proc/${name}/${file}`, "utf8") };
    } catch {}
  }
}

/** CPU ms (utime + stime) so far of: the app's process group, this PostgreSQL server's processes, this process; and the whole machine's busy and total time. */
export type Cpu = { app: number; postgres: number; bench: number; busy: number; total: number };

export function cpuNow(appGroup: number | undefined, postmaster: number | undefined): Cpu {
  let app = 0;
  let postgres = 0;
  for (const { pid, fields } of processes()) {
    const used = (Number(fields[11]) + Number(fields[12])) * TICK_MS;
    if (appGroup && Number(fields[2]) === appGroup) app += used;
    if (postmaster && (pid === postmaster || Number(fields[1]) === postmaster)) postgres += used;
  }
  const own = process.cpuUsage();
  const ticks = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0) * TICK_MS;
  return { app, postgres, bench: (own.user + own.system) / 1000, busy: total - ((ticks[3] ?? 0) + (ticks[4] ?? 0)) * TICK_MS, total };
}

/** Adds what was used between two readings. */
export const addCpu = (into: Cpu, a: Cpu, b: Cpu) => {
  for (const k of Object.keys(into) as (keyof Cpu)[]) into[k] += b[k] - a[k];
};
export const noCpu = (): Cpu => ({ app: 0, postgres: 0, bench: 0, busy: 0, total: 0 });

/** The postmaster's pid, from postmaster.pid in the server's data directory (readable when this runs as root or as its owner). */
export async function postmasterPid(database: Database): Promise<number | undefined> {
  try {
    const [row] = await database.sql`select current_setting('data_directory') as dir`;
    return Number(readFileSync(path.join(row!.dir as string, "postmaster.pid"), "utf8").split("\n")[0]) || undefined;
  } catch {
    return undefined;
  }
}

/** RSS in MiB of the app's process group, and of each of its processes by pid (the group's leader, which started the others, first). */
export function appRss(group: number): { total: number; each: number[] } {
  const found: { pid: number; mib: number }[] = [];
  for (const { pid, fields, read } of processes()) {
    if (Number(fields[2]) !== group) continue;
    try {
      const kb = Number(/^VmRSS:\s+(\d+)/m.exec(read("status"))?.[1] ?? 0);
      found.push({ pid, mib: kb / 1024 });
    } catch {} // the process ended between the two reads
  }
  found.sort((a, b) => (a.pid === group ? -1 : b.pid === group ? 1 : a.pid - b.pid));
  return { total: found.reduce((sum, p) => sum + p.mib, 0), each: found.map((p) => p.mib) };
}

/** The p-th percentile (0–100) by the nearest-rank rule; NaN for no values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
