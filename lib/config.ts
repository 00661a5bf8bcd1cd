import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { isTimeZone } from "./dates";

/** The installation's currency (ISO 4217), one per install. */
export function installCurrency(): string {
  const code = (process.env.LASTMILE_CURRENCY ?? "USD").trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`LASTMILE_CURRENCY must be an ISO 4217 code, got "${code}"`);
  return code;
}

/**
 * The installation's time zone (IANA name, default UTC): what "today" and
 * "this month" mean on dashboards, how days are grouped and dates shown.
 */
export function installTimeZone(): string {
  const zone = (process.env.LASTMILE_TIME_ZONE ?? "UTC").trim() || "UTC";
  if (!isTimeZone(zone)) throw new Error(`LASTMILE_TIME_ZONE must be an IANA time zone such as "Asia/Dhaka", got "${zone}"`);
  return zone;
}

/** The app's public URL (trusted configuration, never the request's Host header): the gateway sends the payer back here. */
export function appBaseUrl(): string {
  const url = process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return url.replace(/\/+$/, "");
}

/**
 * How many app processes `npm start` runs (LASTMILE_WORKERS; default one per
 * CPU, since a page render uses one core): a whole number of at least 1.
 */
export function installWorkers(value: string | undefined = process.env.LASTMILE_WORKERS, cpus = availableParallelism()): number {
  const text = (value ?? "").trim();
  if (text === "") return Math.max(1, cpus);
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`LASTMILE_WORKERS must be a whole number of at least 1, got "${value}"`);
  return Number(text);
}

/** Where Debian (libjemalloc2) and other distributions put jemalloc. */
export const JEMALLOC_PATHS = ["/usr/lib/x86_64-linux-gnu/libjemalloc.so.2", "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2", "/usr/lib64/libjemalloc.so.2", "/usr/lib/libjemalloc.so.2"];

/**
 * The memory allocator for the app's workers (LASTMILE_MALLOC: "jemalloc",
 * the default when it is installed, or "system"). Under the soak, glibc's
 * malloc let each worker's RSS grow round after round while its live heap
 * stayed the same; with jemalloc it levels off (docs/BENCHMARKS.md, Soak).
 * Returns the library to preload into each worker, or null for the system's.
 */
export function workerAllocator(value: string | undefined = process.env.LASTMILE_MALLOC, exists: (path: string) => boolean = existsSync): string | null {
  const choice = (value ?? "").trim().toLowerCase() || "jemalloc";
  if (choice !== "jemalloc" && choice !== "system") throw new Error(`LASTMILE_MALLOC must be "jemalloc" or "system", got "${value}"`);
  if (choice === "system") return null;
  return JEMALLOC_PATHS.find((path) => exists(path)) ?? null;
}
