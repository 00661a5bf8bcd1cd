import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { describe, expect, inject, it } from "vitest";
import { withDatabase } from "@/db/embedded";
import { migrationsFolder, runMigrations } from "@/db/migrate";

describe("db:migrate", () => {
  it("two instances migrating one empty database together apply every migration exactly once", async () => {
    const name = `lastmile_migrate_${randomBytes(4).toString("hex")}`;
    const admin = postgres(inject("postgresUrl"), { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = withDatabase(inject("postgresUrl"), name);
    try {
      await Promise.all([runMigrations(url), runMigrations(url), runMigrations(url)]);
      const journal = JSON.parse(readFileSync(path.join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
      const sql = postgres(url, { max: 1, onnotice: () => {} });
      const [applied] = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
      const [ledger] = await sql`select to_regclass('ledger_entries') is not null as present`;
      await sql.end();
      expect(applied!.n).toBe(journal.entries.length);
      expect(ledger!.present).toBe(true);
      await runMigrations(url); // a later start finds nothing to do
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
