import { runMigrations } from "../db/migrate";
import { APP_ROLE } from "../db/privileges";

// `npm run db:migrate`: applies committed migrations under an advisory lock, as the
// role that owns the tables (MIGRATION_DATABASE_URL, else DATABASE_URL), then
// creates and grants the app role. LASTMILE_APP_PASSWORD, when set, becomes its password.
const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
if (!url) {
  console.error("Set MIGRATION_DATABASE_URL (or DATABASE_URL) to the database to migrate, signed in as the role that owns its tables.");
  process.exit(1);
}
if (new URL(url).username === APP_ROLE) {
  console.error(`${APP_ROLE} may not change the schema. Set MIGRATION_DATABASE_URL to the same database signed in as the role that owns the tables.`);
  process.exit(1);
}
await runMigrations(url, { appPassword: process.env.LASTMILE_APP_PASSWORD || undefined });
console.log(`Migrations applied; ${APP_ROLE} granted.`);
