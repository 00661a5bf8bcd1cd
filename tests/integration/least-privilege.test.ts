import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { withDatabase } from "@/db/embedded";
import { migrationsFolder, prepareSchema, runMigrations } from "@/db/migrate";
import { APP_ROLE, appSchemas, policyName, tablePolicies } from "@/db/privileges";
import { activateSubscription, reverseEntry } from "@/lib/billing";
import { collectCustomerPayment } from "@/lib/portal/payments";
import { adminActor, makeChargeableReseller, makeCustomer, newKey, resellerActor } from "../support/factories";
import { db, ownerDatabaseUrl, ownerDb, testDb } from "../support/fresh-database";

// The app signs in as lastmile_app (so does every integration test's db()): a
// leaked DATABASE_URL must not be able to change the schema, switch a guard
// off or rewrite history. These statements are what an intruder would try.
const app = (): postgres.Sql => testDb().sql;
const owner = (): postgres.Sql => ownerDb().sql;

const INSUFFICIENT_PRIVILEGE = "42501";
const RESTRICT_VIOLATION = "23001";

/** The SQLSTATE a statement failed with, or "(succeeded)". */
async function failureOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
    return "(succeeded)";
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

async function postSomeHistory() {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_500n, openingBalance: 10_000n });
  const customer = await makeCustomer(db(), reseller.id, area.id);
  const charge = await activateSubscription(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, packageId: pkg.id, idempotencyKey: newKey() });
  await collectCustomerPayment(db(), resellerActor(reseller.id), { resellerId: reseller.id, customerId: customer.id, amount: 2_000n, method: "cash", idempotencyKey: newKey() });
  await reverseEntry(db(), adminActor, { entryId: charge.entry.id, reason: "Wrong customer", idempotencyKey: newKey() });
  return { reseller };
}

describe("the app role", () => {
  it("is an ordinary role that owns nothing in the database", async () => {
    const [role] = await app()`select current_user as name, rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls
      from pg_roles where rolname = current_user`;
    expect(role).toEqual({ name: APP_ROLE, rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolreplication: false, rolbypassrls: false });
    const [owned] = await app()`select
      (select count(*) from pg_class where relowner = current_user::regrole)::int as relations,
      (select count(*) from pg_proc where proowner = current_user::regrole)::int as functions,
      (select count(*) from pg_namespace where nspowner = current_user::regrole)::int as schemas,
      (select count(*) from pg_type where typowner = current_user::regrole)::int as types`;
    expect(owned).toEqual({ relations: 0, functions: 0, schemas: 0, types: 0 });
  });

  it("has a written privilege policy for every table it can reach", async () => {
    const tables = (await owner()`select schemaname, tablename from pg_tables where schemaname in ${owner()(appSchemas)}`).map((row) =>
      policyName(row.schemaname as string, row.tablename as string),
    );
    expect(tables.sort()).toEqual(Object.keys(tablePolicies).sort());
  });

  const forbidden: [string, string][] = [
    ["switch the ledger's append-only guard off", "ALTER TABLE ledger_entries DISABLE TRIGGER ledger_entries_append_only"],
    ["switch every trigger on the ledger off", "ALTER TABLE ledger_entries DISABLE TRIGGER ALL"],
    ["switch the receipts' guard off", "ALTER TABLE customer_payments DISABLE TRIGGER ALL"],
    ["switch the audit log's guard off", "ALTER TABLE audit_log DISABLE TRIGGER ALL"],
    ["switch the online payments' guard off", "ALTER TABLE online_payments DISABLE TRIGGER online_payments_guard"],
    ["turn triggers off for its session", "SET session_replication_role = replica"],
    ["drop the ledger", "DROP TABLE ledger_entries CASCADE"],
    ["drop the journal", "DROP TABLE journal_lines"],
    ["drop a guard trigger", "DROP TRIGGER ledger_entries_append_only ON ledger_entries"],
    ["drop a guard function", "DROP FUNCTION lastmile_refuse_change() CASCADE"],
    ["replace a guard function", "CREATE OR REPLACE FUNCTION lastmile_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$"],
    ["make the totals trigger run with its rights", "ALTER FUNCTION lastmile_ledger_daily_totals() SECURITY INVOKER"],
    ["add a trigger of its own", "CREATE TRIGGER intruder BEFORE INSERT ON ledger_entries FOR EACH ROW EXECUTE FUNCTION lastmile_refuse_change()"],
    ["add a column", "ALTER TABLE resellers ADD COLUMN intruder integer"],
    ["drop a check", "ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_amount_non_zero"],
    ["create an index", "CREATE INDEX intruder ON ledger_entries (amount)"],
    ["create a table", "CREATE TABLE intruder (id integer)"],
    ["create a schema", "CREATE SCHEMA intruder"],
    ["create a function", "CREATE FUNCTION intruder() RETURNS integer LANGUAGE sql AS 'select 1'"],
    ["create a role", "CREATE ROLE intruder"],
    ["rewrite the record of applied migrations", "DELETE FROM drizzle.__drizzle_migrations"],
    ["insert a daily total", "INSERT INTO ledger_daily_totals (reseller_id, kind, day, credits, debits, entries, cum_credits, cum_debits, cum_entries) VALUES (gen_random_uuid(), 'balance_added', current_date, 1, 0, 1, 1, 0, 1)"],
  ];
  it.each(forbidden)("may not %s", async (_, statement) => {
    expect(await failureOf(app().unsafe(statement))).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("may TRUNCATE no table", async () => {
    await postSomeHistory();
    const tables = (await owner()`select schemaname, tablename from pg_tables where schemaname in ${owner()(appSchemas)} order by 1, 2`).map(
      (row) => `"${row.schemaname}"."${row.tablename}"`,
    );
    expect(tables.length).toBeGreaterThan(25);
    for (const table of tables) {
      expect([table, await failureOf(app().unsafe(`TRUNCATE ${table} CASCADE`))]).toEqual([table, INSUFFICIENT_PRIVILEGE]);
    }
  });

  // Append-only history, and the columns of a payment that are fixed once written.
  const rewrites: [string, string][] = [
    ["ledger_entries", "amount = amount"],
    ["journal_entries", "memo = memo"],
    ["journal_lines", "amount = amount"],
    ["audit_log", "action = action"],
    ["customer_payments", "amount = amount"],
    ["idempotency_keys", "result = result"],
    ["ledger_daily_totals", "credits = credits"],
    ["subscriptions", "price_charged = price_charged"],
    ["subscriptions", "expires_at = expires_at"],
    ["online_payments", "amount = amount"],
    ["online_payments", "reseller_id = reseller_id"],
    ["online_payments", "currency = currency"],
    ["online_payments", "idempotency_key = idempotency_key"],
    ["online_payments", "gateway_mode = gateway_mode"],
    ["online_payments", "created_at = created_at"],
    ["stripe_events", "type = type"],
    ["stripe_events", "livemode = livemode"],
    ["radius.radacct", "acctstoptime = now()"],
    ["radius_disconnect_attempts", "outcome = outcome"],
  ];
  it.each(rewrites)("may not UPDATE %s (set %s)", async (table, change) => {
    await postSomeHistory();
    expect(await failureOf(app().unsafe(`UPDATE ${table} SET ${change}`))).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it.each([
    "ledger_entries", "journal_entries", "journal_lines", "audit_log", "customer_payments", "idempotency_keys", "ledger_daily_totals",
    "subscriptions", "online_payments", "stripe_events", "customers", "resellers", "users", "packages", "sign_in_attempts",
    "radius.radacct", "radius.radpostauth", "radius_disconnects", "radius_disconnect_attempts", "radius_expiry_sweep",
  ])("may not DELETE from %s", async (table) => {
    await postSomeHistory();
    expect(await failureOf(app().unsafe(`DELETE FROM ${table}`))).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it("runs the money commands, and the daily totals follow the ledger through their trigger alone", async () => {
    const { reseller } = await postSomeHistory();
    const [ledger] = await app()`select count(*)::int as entries, sum(amount)::text as net from ledger_entries where reseller_id = ${reseller.id}`;
    const [totals] = await app()`select sum(entries)::int as entries, (sum(credits) - sum(debits))::text as net from ledger_daily_totals where reseller_id = ${reseller.id}`;
    expect(ledger).toEqual({ entries: 3, net: "10000" });
    expect(totals).toEqual(ledger);
    const [receipts] = await app()`select count(*)::int as n from customer_payments where reseller_id = ${reseller.id}`;
    expect(receipts!.n).toBe(1);
  });
});

describe("guards that hold even for the owner of the tables", () => {
  it("receipts refuse UPDATE, DELETE and TRUNCATE", async () => {
    await postSomeHistory();
    const before = await owner()`select * from customer_payments order by id`;
    expect(before.length).toBeGreaterThan(0);
    expect(await failureOf(owner()`update customer_payments set amount = amount + 1`)).toBe(RESTRICT_VIOLATION);
    expect(await failureOf(owner()`delete from customer_payments`)).toBe(RESTRICT_VIOLATION);
    expect(await failureOf(owner()`truncate customer_payments cascade`)).toBe(RESTRICT_VIOLATION);
    expect(await owner()`select * from customer_payments order by id`).toEqual(before);
  });

  it("a daily total is written only by the ledger's trigger", async () => {
    const { reseller } = await postSomeHistory();
    const before = await owner()`select * from ledger_daily_totals order by reseller_id, kind, day`;
    expect(await failureOf(owner()`update ledger_daily_totals set credits = credits + 1`)).toBe(RESTRICT_VIOLATION);
    expect(await failureOf(owner()`insert into ledger_daily_totals (reseller_id, kind, day, credits, debits, entries, cum_credits, cum_debits, cum_entries)
      values (${reseller.id}, 'balance_added', '2001-01-01', 1, 0, 1, 1, 0, 1)`)).toBe(RESTRICT_VIOLATION);
    expect(await owner()`select * from ledger_daily_totals order by reseller_id, kind, day`).toEqual(before);
  });
});

describe("db:migrate applies the policy on every run", () => {
  it("takes back a privilege granted by hand, and covers a table added later", async () => {
    await owner()`grant update, delete, truncate on ledger_entries to lastmile_app`;
    await owner()`create table later_feature (id integer primary key)`;
    try {
      // Default privileges: a table the owner adds works for the app at once…
      await app()`insert into later_feature values (1)`;
      expect(await failureOf(app()`update ledger_entries set note = note where false`)).toBe("(succeeded)");
      const warnings: string[] = [];
      await runMigrations(ownerDatabaseUrl(), { log: (message) => warnings.push(message) });
      // …and the next migrate run applies the written policy again.
      expect(await failureOf(app()`update ledger_entries set note = note where false`)).toBe(INSUFFICIENT_PRIVILEGE);
      expect(await failureOf(app()`truncate ledger_entries`)).toBe(INSUFFICIENT_PRIVILEGE);
      await app()`insert into later_feature values (2)`;
      expect(warnings).toEqual([expect.stringContaining("later_feature has no privilege policy")]);
    } finally {
      await owner()`drop table later_feature`;
    }
  });
});

describe("npm start with an external database", () => {
  const journalLength = () => (JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] }).entries.length;

  it("as the app role, serves only a current schema and otherwise names the command to run", async () => {
    const name = `lastmile_start_${randomBytes(4).toString("hex")}`;
    const admin = postgres(inject("postgresUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const ownerUrl = withDatabase(inject("postgresUrl"), name);
    const appUrl = withDatabase(inject("appPostgresUrl"), name);
    try {
      const empty = await prepareSchema(appUrl, undefined);
      expect(empty).toEqual({ ready: false, message: expect.stringContaining(`${journalLength()} migrations are not applied`) });
      expect(empty.ready ? "" : empty.message).toContain("MIGRATION_DATABASE_URL=postgres://OWNER:PASSWORD@HOST/DATABASE npm run db:migrate");

      // One role for everything (as before the app role existed): migrates, and says how to do better.
      const legacy = await prepareSchema(ownerUrl, undefined);
      expect(legacy).toEqual({ ready: true, migrated: true, warning: expect.stringContaining(`Serve as ${APP_ROLE}`) });

      expect(await prepareSchema(appUrl, ownerUrl)).toEqual({ ready: true, migrated: true });
      expect(await prepareSchema(appUrl, undefined)).toEqual({ ready: true, migrated: false });

      // A newer Lastmile against an older schema: one migration behind.
      const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
      await sql`delete from drizzle.__drizzle_migrations where id = (select max(id) from drizzle.__drizzle_migrations)`;
      await sql.end();
      const behind = await prepareSchema(appUrl, undefined);
      expect(behind).toEqual({ ready: false, message: expect.stringContaining("1 migration is not applied") });
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
