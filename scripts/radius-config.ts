import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { writeRadiusConfig } from "@/lib/radius/config";

// `npm run radius:config -- DIR [options]`: writes a FreeRADIUS 3 configuration
// directory that answers from this install's database (DATABASE_URL), through
// the `radius` role. Without --db-password it gives that role a new generated
// password (the owner in DATABASE_URL needs the right to ALTER ROLE radius).
// Then: freeradius -X -d DIR  (or point the service's -d at it). See docs/RADIUS.md.

const usage = `usage: npm run radius:config -- DIR [--auth-port 1812] [--acct-port 1813] [--inner-tunnel-port 18120]
  [--listen ADDRESS] [--db-host HOST] [--db-password PASSWORD] [--localhost-secret SECRET] [--stay-as-starting-user] [--log-dir DIR]`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    "auth-port": { type: "string" },
    "acct-port": { type: "string" },
    "inner-tunnel-port": { type: "string" },
    listen: { type: "string" },
    "db-host": { type: "string" },
    "db-password": { type: "string" },
    "localhost-secret": { type: "string" },
    "stay-as-starting-user": { type: "boolean" },
    "log-dir": { type: "string" },
    help: { type: "boolean" },
  },
});

const dir = positionals[0];
const url = process.env.DATABASE_URL;
if (values.help || !dir) {
  console.error(usage);
  process.exit(values.help ? 0 : 1);
}
if (!url) {
  console.error("Set DATABASE_URL to this install's database (the one `npm run db:migrate` migrates).");
  process.exit(1);
}

function port(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`--${name} must be a port number (1-65535)`);
    process.exit(1);
  }
  return n;
}

const parsed = new URL(url);
let password = values["db-password"];
if (!password) {
  password = randomBytes(24).toString("base64url");
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // The generated password is base64url (no quotes), so it can be written into the statement.
    await sql.unsafe(`ALTER ROLE radius WITH LOGIN PASSWORD '${password}'`);
  } catch (error) {
    console.error(`Could not set the radius role's password (${(error as Error).message}). Set one as a superuser and pass it with --db-password.`);
    process.exit(1);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
const localhostSecret = values["localhost-secret"] ?? randomBytes(18).toString("base64url");

try {
  const written = writeRadiusConfig({
    dir,
    database: {
      host: values["db-host"] ?? parsed.hostname,
      port: Number(parsed.port || 5432),
      name: decodeURIComponent(parsed.pathname.slice(1)),
      user: "radius",
      password,
    },
    authPort: port("auth-port", values["auth-port"]),
    acctPort: port("acct-port", values["acct-port"]),
    innerTunnelPort: port("inner-tunnel-port", values["inner-tunnel-port"]),
    listenAddress: values.listen,
    localhostSecret,
    stayAsStartingUser: values["stay-as-starting-user"],
    logDir: values["log-dir"],
  });
  console.log(`FreeRADIUS configuration written to ${written}.`);
  console.log(`Routers (NAS) are read from the radius.nas table (Network > Routers); localhost's secret is ${localhostSecret}.`);
  console.log(`Run: freeradius -X -d ${written}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
