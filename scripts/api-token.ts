import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { connect } from "../db/client";
import { issueApiToken, issueApiTokenForm } from "../lib/api/tokens";
import { systemActor } from "../lib/billing/actor";
import { isDomainError } from "../lib/errors";

/**
 * `npm run api:token -- --user EMAIL --name NAME [--scopes a,b] [--expires YYYY-MM-DD] [--rate-limit N]`:
 * issues an API token for the user with that email (an admin user gets an
 * admin token, a reseller user a token of its reseller) and prints the token
 * alone on the last line: it is shown once and stored only as a hash.
 */
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("Set DATABASE_URL to the database the token is for.");
  process.exit(1);
}
let values;
try {
  ({ values } = parseArgs({
    options: { user: { type: "string" }, name: { type: "string" }, scopes: { type: "string" }, expires: { type: "string" }, "rate-limit": { type: "string" } },
    strict: true,
  }));
} catch (error) {
  console.error(String((error as Error).message));
  process.exit(1);
}
if (!values.user || !values.name) {
  console.error("Usage: npm run api:token -- --user EMAIL --name NAME [--scopes a,b] [--expires YYYY-MM-DD] [--rate-limit N]");
  process.exit(1);
}
const database = connect(url, { max: 2 });
try {
  const [owner] = await database.db.execute<{ id: string; role: string }>(sql`select id, role from users where lower(email) = lower(${values.user})`);
  if (!owner) {
    console.error(`No user with the email ${values.user}.`);
    process.exitCode = 1;
  } else {
    const parsed = issueApiTokenForm.safeParse({
      userId: owner.id,
      name: values.name,
      scopes: values.scopes?.split(",").map((s) => s.trim()).filter(Boolean),
      expiresOn: values.expires,
      rateLimit: values["rate-limit"],
    });
    if (!parsed.success) {
      console.error(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
      process.exitCode = 1;
    } else {
      const { token, record } = await issueApiToken(database.db, systemActor("api:token script"), parsed.data);
      console.log(`Issued ${record.kind} token "${record.name}" (${record.prefix}…) for ${values.user} with scopes ${record.scopes.join(", ")}${record.expiresAt ? `, expiring ${record.expiresAt.toISOString()}` : ""}.`);
      console.log("Store it now: it is not shown again.");
      console.log(token);
    }
  }
} catch (error) {
  console.error(isDomainError(error) ? error.message : error);
  process.exitCode = 1;
} finally {
  await database.close();
}
