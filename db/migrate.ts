import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/postgres-js";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { APP_ROLE, grantAppRole, type GrantOptions } from "./privileges";

const MIGRATION_LOCK = 7_302_025; // any constant shared by every instance
export const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

/**
 * Applies committed migrations, then creates and grants the app role
 * (db/privileges.ts), as the role that owns the tables. An advisory lock on
 * one connection makes instances that start together take turns; the second
 * finds nothing to do.
 */
export async function runMigrations(url: string, options: GrantOptions = {}): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder });
      await grantAppRole(sql, options);
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/**
 * How many committed migrations the database has not applied yet (all of
 * them on an empty database). Reads only drizzle's record of applied
 * migrations, which the app role may read: `npm start` serves as that role
 * only when this is 0.
 */
export async function pendingMigrations(url: string): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Before its first grants the app role may not even look into drizzle's schema: then nothing counts as applied.
    const [readable] = await sql`select case
      when to_regnamespace('drizzle') is null or not has_schema_privilege('drizzle', 'USAGE') then false
      when to_regclass('drizzle.__drizzle_migrations') is null then false
      else has_table_privilege('drizzle.__drizzle_migrations', 'SELECT') end as ok`;
    if (!readable!.ok) return migrations.length;
    const [last] = await sql`select max(created_at)::text as applied from drizzle.__drizzle_migrations`;
    const applied = last?.applied === null || last?.applied === undefined ? -1 : Number(last.applied);
    return migrations.filter((migration) => migration.folderMillis > applied).length;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export type SchemaReadiness = { ready: true; migrated: boolean; warning?: string } | { ready: false; message: string };

/**
 * What `npm start` does with an external database before serving. With
 * MIGRATION_DATABASE_URL it migrates as that (owner) role. With only a
 * DATABASE_URL that signs in as the app role, which may not change the schema,
 * it serves only when every migration is applied, and otherwise names the
 * command to run. With only a DATABASE_URL of another role (one role for
 * everything, as before the app role existed) it migrates with it, and warns.
 */
export async function prepareSchema(databaseUrl: string, migrationUrl: string | undefined, options: GrantOptions = {}): Promise<SchemaReadiness> {
  if (migrationUrl) {
    await runMigrations(migrationUrl, options);
    return { ready: true, migrated: true };
  }
  if (new URL(databaseUrl).username !== APP_ROLE) {
    await runMigrations(databaseUrl, options);
    return {
      ready: true,
      migrated: true,
      warning: `DATABASE_URL signs in as the role that owns the tables, so a leaked DATABASE_URL could rewrite history. Serve as ${APP_ROLE} instead: set MIGRATION_DATABASE_URL to this URL and DATABASE_URL to the same database signed in as ${APP_ROLE} (see README).`,
    };
  }
  const pending = await pendingMigrations(databaseUrl);
  if (pending === 0) return { ready: true, migrated: false };
  return {
    ready: false,
    message:
      `The database schema is not current: ${pending} migration${pending === 1 ? " is" : "s are"} not applied, and ${APP_ROLE} may not change the schema. ` +
      "Run `MIGRATION_DATABASE_URL=postgres://OWNER:PASSWORD@HOST/DATABASE npm run db:migrate` (signed in as the role that owns the tables), then start again.",
  };
}
