import type postgres from "postgres";

/**
 * The role the app connects as. It owns nothing: the tables belong to the role
 * that runs migrations, so the app can neither change the schema (ALTER, DROP,
 * DISABLE TRIGGER) nor TRUNCATE, and it writes only what the policy below
 * allows. Roles are cluster-wide; grants are per database.
 */
export const APP_ROLE = "lastmile_app";

type RowPrivilege = "INSERT" | "UPDATE" | "DELETE";
/** What the app may do to a table besides SELECT: whole-row privileges, and UPDATE of listed columns only. */
type TablePolicy = { grant: RowPrivilege[]; updateColumns?: string[] };

/**
 * Every table the app can reach, with what the app does to it. Append-only
 * history (ledger, journal, receipts, audit log) is INSERT only; derived totals
 * are written by their trigger alone; online payments and gateway events may
 * change only the columns that follow a payment's life. A table missing here
 * gets full row access (so a new table works) and a warning from every
 * migrate run, and the privileges test fails until it is listed.
 */
export const tablePolicies: Record<string, TablePolicy> = {
  resellers: { grant: ["INSERT", "UPDATE"] },
  users: { grant: ["INSERT", "UPDATE"] },
  areas: { grant: ["INSERT", "UPDATE"] },
  reseller_areas: { grant: ["INSERT", "DELETE"] },
  packages: { grant: ["INSERT", "UPDATE"] },
  reseller_package_rates: { grant: ["INSERT", "DELETE"] },
  customers: { grant: ["INSERT", "UPDATE"] },
  // A period is never rewritten; a reversal only marks it.
  subscriptions: { grant: ["INSERT"], updateColumns: ["reversed_at"] },
  ledger_entries: { grant: ["INSERT"] },
  // Kept by the ledger's trigger (SECURITY DEFINER), never by the app.
  ledger_daily_totals: { grant: [] },
  journal_entries: { grant: ["INSERT"] },
  journal_lines: { grant: ["INSERT"] },
  customer_payments: { grant: ["INSERT"] },
  idempotency_keys: { grant: ["INSERT"] },
  audit_log: { grant: ["INSERT"] },
  sign_in_attempts: { grant: ["INSERT", "UPDATE"] },
  // One row per sign-in; revoked at sign-out.
  user_sessions: { grant: ["INSERT", "UPDATE"] },
  // Who, how much, which currency and which key are fixed at insert; the rest follows the gateway.
  online_payments: {
    grant: ["INSERT"],
    updateColumns: ["status", "checkout_session_id", "checkout_url", "payment_intent_id", "gateway_attempt", "ledger_entry_id", "reason", "updated_at", "settled_at"],
  },
  stripe_events: { grant: ["INSERT"], updateColumns: ["outcome", "online_payment_id", "processed_at"] },
  payment_settings: { grant: ["INSERT", "UPDATE"] },
  // The HTTP API: tokens (created, used, revoked), its idempotency slots and rate-limit windows (pruned).
  api_tokens: { grant: ["INSERT", "UPDATE"] },
  api_idempotency: { grant: ["INSERT", "UPDATE", "DELETE"] },
  api_rate_limits: { grant: ["INSERT", "UPDATE", "DELETE"] },
  api_auth_failures: { grant: ["INSERT", "UPDATE", "DELETE"] },
  // Routers and the disconnect outbox, Lastmile's side of RADIUS.
  radius_nas_settings: { grant: ["INSERT", "UPDATE", "DELETE"] },
  radius_disconnects: { grant: ["INSERT", "UPDATE"] },
  radius_disconnect_attempts: { grant: ["INSERT"] },
  radius_expiry_sweep: { grant: ["UPDATE"] },
  // FreeRADIUS's tables: the app provisions users and groups and keeps the routers; accounting is FreeRADIUS's alone.
  "radius.radcheck": { grant: ["INSERT", "UPDATE", "DELETE"] },
  "radius.radreply": { grant: ["INSERT", "UPDATE", "DELETE"] },
  "radius.radusergroup": { grant: ["INSERT", "UPDATE", "DELETE"] },
  "radius.radgroupcheck": { grant: ["INSERT", "UPDATE", "DELETE"] },
  "radius.radgroupreply": { grant: ["INSERT", "UPDATE", "DELETE"] },
  "radius.nas": { grant: ["INSERT", "UPDATE", "DELETE"] },
  "radius.nasreload": { grant: [] },
  "radius.radacct": { grant: [] },
  "radius.radpostauth": { grant: [] },
};

/** The schemas whose tables the app uses (those that exist are granted). */
export const appSchemas = ["public", "radius"];

/** A table's name as the policy spells it: bare in public, schema-qualified elsewhere. */
export const policyName = (schema: string, table: string) => (schema === "public" ? table : `${schema}.${table}`);

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** "ledger_entries" → "ledger_entries"; "radius.nas" → "radius"."nas". */
const qualified = (name: string) => name.split(".").map(ident).join(".");
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

export type GrantOptions = {
  /** Sets the app role's password (creating it with LOGIN if absent). Without one, a new role cannot sign in until its password is set. */
  appPassword?: string;
  log?: (message: string) => void;
};

/**
 * Creates the app role if absent and (re)applies its privileges on the
 * connected database, in one transaction: everything is revoked and granted
 * again from the policy, so a privilege taken away is taken away on the next
 * run, and tables added by later migrations are covered. Run by every
 * migration, as the role that owns the tables.
 */
export async function grantAppRole(sql: postgres.Sql, options: GrantOptions = {}): Promise<void> {
  const log = options.log ?? ((message: string) => console.warn(message));
  await ensureAppRole(sql, options.appPassword);
  await sql.begin(async (tx) => {
    const [{ db }] = (await tx`select current_database() as db`) as unknown as [{ db: string }];
    const schemas = (await tx`select nspname from pg_namespace where nspname in ${tx(appSchemas)} order by nspname`).map((row) => row.nspname as string);
    const tables = (await tx`select schemaname, tablename from pg_tables where schemaname in ${tx(schemas)} order by schemaname, tablename`).map(
      (row) => policyName(row.schemaname as string, row.tablename as string),
    );
    const role = ident(APP_ROLE);
    const statements = [
      `GRANT CONNECT ON DATABASE ${ident(db)} TO ${role}`,
      // PostgreSQL before 15 lets every role create tables in public; nobody but the owner should.
      `REVOKE CREATE ON SCHEMA public FROM PUBLIC`,
    ];
    for (const schema of schemas.map(ident)) {
      statements.push(
        `GRANT USAGE ON SCHEMA ${schema} TO ${role}`,
        `REVOKE ALL ON ALL TABLES IN SCHEMA ${schema} FROM ${role}`,
        `REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${schema} FROM ${role}`,
        `GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO ${role}`,
        `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA ${schema} TO ${role}`,
        // Tables made by the owner outside a migrate run work for the app until the next run applies the policy.
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA ${schema} GRANT USAGE, SELECT ON SEQUENCES TO ${role}`,
      );
    }
    for (const table of tables) {
      const policy = tablePolicies[table];
      if (!policy) {
        log(`Table ${table} has no privilege policy in db/privileges.ts: ${APP_ROLE} gets full row access to it.`);
        statements.push(`GRANT INSERT, UPDATE, DELETE ON ${qualified(table)} TO ${role}`);
        continue;
      }
      if (policy.grant.length > 0) statements.push(`GRANT ${policy.grant.join(", ")} ON ${qualified(table)} TO ${role}`);
      if (policy.updateColumns?.length) statements.push(`GRANT UPDATE (${policy.updateColumns.map(ident).join(", ")}) ON ${qualified(table)} TO ${role}`);
    }
    // `npm start` reads which migrations are applied to tell whether the schema is current.
    const [migrations] = await tx`select to_regclass('drizzle.__drizzle_migrations') is not null as present`;
    if (migrations!.present) {
      statements.push(`GRANT USAGE ON SCHEMA drizzle TO ${role}`, `GRANT SELECT ON drizzle.__drizzle_migrations TO ${role}`);
    }
    for (const statement of statements) await tx.unsafe(statement);
  });
}

/** Creates the role (safe when several databases migrate at once) and sets its password when one is given. */
async function ensureAppRole(sql: postgres.Sql, password: string | undefined): Promise<void> {
  const [existing] = await sql`select rolsuper, rolcreaterole, rolcreatedb, rolbypassrls from pg_roles where rolname = ${APP_ROLE}`;
  if (existing && (existing.rolsuper || existing.rolcreaterole || existing.rolcreatedb || existing.rolbypassrls)) {
    throw new Error(`The role ${APP_ROLE} exists with more power than the app needs (superuser, CREATEROLE, CREATEDB or BYPASSRLS). Make it an ordinary role: ALTER ROLE ${APP_ROLE} NOSUPERUSER NOCREATEROLE NOCREATEDB NOBYPASSRLS`);
  }
  if (!existing) {
    try {
      await sql.unsafe(`DO $$ BEGIN
        CREATE ROLE ${ident(APP_ROLE)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- another database's migration made it meanwhile
      END $$`);
    } catch (error) {
      if ((error as { code?: string }).code === "42501") {
        throw new Error(
          `The migration role may not create roles. As a superuser, run once: CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '…'; then run the migration again.`,
        );
      }
      throw error;
    }
  }
  if (password) await sql.unsafe(`ALTER ROLE ${ident(APP_ROLE)} WITH LOGIN PASSWORD ${literal(password)}`);
}

/** The same server and database, signed in as the app role. */
export function asAppRole(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = APP_ROLE;
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}
