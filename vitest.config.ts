import path from "node:path";
import { defineConfig } from "vitest/config";

// lib modules that query the database import "server-only" (so a client component importing one fails the
// build); outside Next.js the tests take its react-server build, an empty module.
const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", sequence: { groupOrder: 0 } } },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/support/global-postgres.ts"],
          setupFiles: ["tests/support/fresh-database.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two cores: a couple of files at once, each on its own database.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          // The fault suites (npm run test:faults): each file runs its own PostgreSQL, which it stops and starts.
          name: "faults",
          include: ["tests/faults/**/*.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
