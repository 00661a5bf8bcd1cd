import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** A hash of everything the production build depends on. */
export function sourceHash(root: string): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(full).update(readFileSync(full));
    }
  };
  for (const dir of ["app", "components", "lib", "db", "public"]) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const file of ["package-lock.json", "next.config.ts", "tsconfig.json", "postcss.config.mjs", "proxy.ts"]) {
    if (existsSync(path.join(root, file))) hash.update(readFileSync(path.join(root, file)));
  }
  return hash.digest("hex");
}

/**
 * Runs `next build` unless .next already holds a build of these very sources
 * (one marker shared by `npm start` and the benchmarks, so neither rebuilds
 * what the other just built).
 */
export function buildIfNeeded(root: string) {
  const marker = path.join(root, ".next", "lastmile-source-hash");
  const current = sourceHash(root);
  if (existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(marker) && readFileSync(marker, "utf8") === current) return;
  console.log("Building the app (first start or sources changed)…");
  const result = spawnSync(path.join(root, "node_modules", ".bin", "next"), ["build"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(marker, current);
}
