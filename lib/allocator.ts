import { existsSync } from "node:fs";

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
