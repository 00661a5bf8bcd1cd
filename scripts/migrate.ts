import { runMigrations } from "../db/migrate";

// `npm run db:migrate`: applies committed migrations under an advisory lock.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database to migrate.");
  process.exit(1);
}
await runMigrations(url);
console.log("Migrations applied.");
