import "server-only";
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

// Writes a ready FreeRADIUS 3 configuration directory for this install:
// Debian's stock /etc/freeradius/3.0, copied, with only the changes that make
// it answer from Lastmile's `radius` schema (the sql module on, PostgreSQL,
// the tables schema-qualified, clients read from `nas`, Simultaneous-Use
// checked against radacct). Each change names the stock text it replaces and
// fails loudly if that text is not there, so a different FreeRADIUS version
// is refused instead of half-configured.

export const STOCK_FREERADIUS_DIR = "/etc/freeradius/3.0";

export type RadiusConfigOptions = {
  /** Where to write the configuration (created; an existing directory is replaced). */
  dir: string;
  /** The stock configuration to start from. */
  source?: string;
  database: { host: string; port: number; name: string; user: string; password: string };
  /** Access-Request and Accounting ports (FreeRADIUS's 0 means 1812/1813). */
  authPort?: number;
  acctPort?: number;
  /** The inner-tunnel (EAP) server's loopback port; stock is 18120. */
  innerTunnelPort?: number;
  /** The address FreeRADIUS listens on ("*" for all). */
  listenAddress?: string;
  /** The shared secret of the `localhost` client (radtest, monitoring); stock is the well-known testing123. */
  localhostSecret: string;
  /** Keep FreeRADIUS as the user that starts it (tests, containers) instead of dropping to freerad. */
  stayAsStartingUser?: boolean;
  /** Where FreeRADIUS writes its logs and detail files. */
  logDir?: string;
};

/** FreeRADIUS threads and rlm_sql connections (one each); PostgreSQL must allow this many more connections. */
export const SQL_POOL_SIZE = 8;

/**
 * One authorize statement: a call of the radius schema's function (migration 0021) that returns the
 * user's own items, then its groups' in priority order, where stock rlm_sql sends a statement for each
 * part. A function's plan is kept per connection; a plain query is planned on every Access-Request.
 */
function authorizeQuery(name: string, fn: string): string {
  return `${name} = "\\
\tSELECT id, username, attribute, value, op FROM radius.${fn}('%{SQL-User-Name}')"
`;
}

/** The user's check items, then its group's (all `:=`, merged into the control list). */
const AUTHORIZE_CHECK_QUERY = authorizeQuery("authorize_check_query", "authorize_check");
/** The user's reply items, then its group's (the package's rate limit, pool). */
const AUTHORIZE_REPLY_QUERY = authorizeQuery("authorize_reply_query", "authorize_reply");
/** Simultaneous-Use: the user's open sessions started after their NAS's last reload. */
const SIMUL_COUNT_QUERY = `simul_count_query = "\\
\tSELECT radius.open_sessions('%{SQL-User-Name}')"
`;
/** The post-auth log (who was answered what, when), without the password tried. */
const POST_AUTH_QUERY = `\tquery = "\\
\t\tSELECT radius.log_auth('%{User-Name}', '%{reply:Packet-Type}', '%S.%M')"
`;

/** One textual change to a stock file; throws if the stock text is missing. */
function patch(file: string, replacements: [from: string | RegExp, to: string][]) {
  let text = readFileSync(file, "utf8");
  for (const [from, to] of replacements) {
    const found = typeof from === "string" ? text.includes(from) : from.test(text);
    if (!found) throw new Error(`${file}: expected stock text ${String(from)} not found; is this FreeRADIUS 3.x's Debian configuration?`);
    text = typeof from === "string" ? text.split(from).join(to) : text.replace(from, to);
  }
  writeFileSync(file, text);
}

/** FreeRADIUS config strings are double-quoted; refuse what would break out of one. */
function quoted(value: string, what: string): string {
  if (/["\\\n\r$]/.test(value)) throw new Error(`${what} may not contain quotes, backslashes, $ or line breaks`);
  return `"${value}"`;
}

export function writeRadiusConfig(options: RadiusConfigOptions): string {
  const source = options.source ?? STOCK_FREERADIUS_DIR;
  if (!existsSync(path.join(source, "radiusd.conf"))) {
    throw new Error(`${source} has no radiusd.conf: install Debian's freeradius and freeradius-postgresql packages first`);
  }
  const dir = path.resolve(options.dir);
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, dir, { recursive: true, verbatimSymlinks: true });
  const at = (...p: string[]) => path.join(dir, ...p);
  const db = options.database;

  // radiusd.conf: read everything from this directory.
  patch(at("radiusd.conf"), [
    [/^raddbdir = .*$/m, `raddbdir = ${dir}`],
    ...(options.logDir ? ([[/^logdir = .*$/m, `logdir = ${options.logDir}`]] as [RegExp, string][]) : []),
    ...(options.stayAsStartingUser
      ? ([
          [/^\tuser = freerad$/m, "#\tuser = freerad"],
          [/^\tgroup = freerad$/m, "#\tgroup = freerad"],
        ] as [RegExp, string][])
      : []),
  ]);

  // The sql module: PostgreSQL, Lastmile's database, its `radius` schema, clients from `nas`.
  patch(at("mods-available", "sql"), [
    ['dialect = "sqlite"', 'dialect = "postgresql"'],
    ['\tdriver = "rlm_sql_null"\n#\tdriver = "rlm_sql_${dialect}"', '#\tdriver = "rlm_sql_null"\n\tdriver = "rlm_sql_${dialect}"'],
    [
      '#\tserver = "localhost"\n#\tport = 3306\n#\tlogin = "radius"\n#\tpassword = "radpass"',
      `\tserver = ${quoted(db.host, "the database host")}\n\tport = ${db.port}\n\tlogin = ${quoted(db.user, "the database user")}\n\tpassword = ${quoted(db.password, "the database password")}`,
    ],
    ['\tradius_db = "radius"', `\tradius_db = ${quoted(db.name, "the database name")}`],
    ['acct_table1 = "radacct"', 'acct_table1 = "radius.radacct"'],
    ['acct_table2 = "radacct"', 'acct_table2 = "radius.radacct"'],
    ['postauth_table = "radpostauth"', 'postauth_table = "radius.radpostauth"'],
    ['authcheck_table = "radcheck"', 'authcheck_table = "radius.radcheck"'],
    ['groupcheck_table = "radgroupcheck"', 'groupcheck_table = "radius.radgroupcheck"'],
    ['authreply_table = "radreply"', 'authreply_table = "radius.radreply"'],
    ['groupreply_table = "radgroupreply"', 'groupreply_table = "radius.radgroupreply"'],
    ['usergroup_table = "radusergroup"', 'usergroup_table = "radius.radusergroup"'],
    ['#\tread_clients = yes', '\tread_clients = yes'],
    ['client_table = "nas"', 'client_table = "radius.nas"'],
  ]);
  // Speed (docs/RADIUS.md "Speed"): each Access-Request costs one round trip to PostgreSQL per query, and
  // round trips, not rows, are what an Access-Request waits on. Stock rlm_sql runs seven: radcheck, radreply,
  // the user's groups, each group's check items, each group's reply items, the Simultaneous-Use count and the
  // post-auth insert. Lastmile keeps every attribute in one group per customer and only `:=` items (which
  // rlm_sql merges without comparing), so the check query reads the user's and its group's check items in one
  // statement, the reply query the user's and its group's reply items in another, and the separate group pass
  // is off (read_groups = no): four round trips. SQL-Group comparisons in unlang still use
  // group_membership_query, which stays. The per-request statements call functions in the radius schema,
  // whose plans PostgreSQL keeps, instead of text it would parse and plan on every request.
  patch(at("mods-available", "sql"), [
    ["#\tread_groups = yes", "\tread_groups = no"],
    // A fixed pool, opened at start and never closed for idleness: no connection (a PostgreSQL backend and its
    // authentication) is made while Access-Requests wait, and one is ready for each FreeRADIUS thread (rlm_sql
    // fails a request rather than wait for a connection). Few busy backends cost PostgreSQL less than many.
    ["\t\tstart = ${thread[pool].start_servers}", `\t\tstart = ${SQL_POOL_SIZE}`],
    ["\t\tmin = ${thread[pool].min_spare_servers}", `\t\tmin = ${SQL_POOL_SIZE}`],
    ["\t\tmax = ${thread[pool].max_servers}", `\t\tmax = ${SQL_POOL_SIZE}`],
    ["\t\tspare = ${thread[pool].max_spare_servers}", "\t\tspare = 0"],
    [/^\t\tidle_timeout = 60$/m, "\t\tidle_timeout = 0"],
  ]);
  patch(at("mods-config", "sql", "main", "postgresql", "queries.conf"), [
    [/^authorize_check_query = "\\\n(?:\t.*\\\n)*\t.*"\n/m, AUTHORIZE_CHECK_QUERY],
    [/^authorize_reply_query = "\\\n(?:\t.*\\\n)*\t.*"\n/m, AUTHORIZE_REPLY_QUERY],
    [/^simul_count_query = "\\\n(?:\t.*\\\n)*\t.*"\n/m, SIMUL_COUNT_QUERY],
    // Sessions to verify against the NAS when the count is over the limit: NAS reload times in the radius schema.
    ["LEFT OUTER JOIN nasreload n USING (nasipaddress)", "LEFT OUTER JOIN radius.nasreload n USING (nasipaddress)"],
    [/^\tquery = "\\\n\t\tINSERT INTO \$\{\.\.postauth_table\} \\\n(?:\t.*\\\n)*\t.*"\n/m, POST_AUTH_QUERY],
  ]);
  // As many FreeRADIUS threads as pooled connections, all started at once.
  patch(at("radiusd.conf"), [
    [/^\tstart_servers = 5$/m, `\tstart_servers = ${SQL_POOL_SIZE}`],
    [/^\tmax_servers = 32$/m, `\tmax_servers = ${SQL_POOL_SIZE}`],
  ]);
  symlinkSync("../mods-available/sql", at("mods-enabled", "sql"));

  // The default server: sql for authorize, accounting, Simultaneous-Use and post-auth; the chosen ports.
  const listen = options.listenAddress ?? "*";
  const authPort = options.authPort ?? 0;
  const acctPort = options.acctPort ?? 0;
  let listenIndex = 0;
  const siteFile = at("sites-available", "default");
  let site = readFileSync(siteFile, "utf8");
  const sqlCalls = site.match(/^\t-sql$/gm)?.length ?? 0;
  if (sqlCalls < 3 || !site.includes("#\tsql\n}")) throw new Error(`${siteFile}: not the stock default site`);
  site = site.replace(/^\t-sql$/gm, "\tsql").replace(/^\t\t-sql$/gm, "\t\tsql").replace("#\tsql\n}", "\tsql\n}");
  // The four listen sections: auth, acct (IPv4), then auth, acct (IPv6, dropped to one address family).
  site = site.replace(/listen \{[\s\S]*?\n\}/g, (section) => {
    const index = listenIndex++;
    if (index >= 2) return `# (IPv6 listener removed by Lastmile's radius:config)`;
    const port = index === 0 ? authPort : acctPort;
    return section.replace(/^\tipaddr = \*$/m, `\tipaddr = ${listen}`).replace(/^\tport = 0$/m, `\tport = ${port}`);
  });
  if (listenIndex !== 4) throw new Error(`${siteFile}: expected four listen sections, found ${listenIndex}`);
  writeFileSync(siteFile, site);

  if (options.innerTunnelPort) {
    patch(at("sites-available", "inner-tunnel"), [["port = 18120", `port = ${options.innerTunnelPort}`]]);
  }

  // The localhost client's secret (stock: testing123).
  patch(at("clients.conf"), [[/^\tsecret = testing123$/m, `\tsecret = ${options.localhostSecret}`]]);
  if (!/^[A-Za-z0-9._-]{8,}$/.test(options.localhostSecret)) throw new Error("the localhost secret needs at least 8 letters, digits or . _ -");
  return dir;
}
