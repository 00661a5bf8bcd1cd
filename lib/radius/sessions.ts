import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { customerSearchText } from "@/db/schema";
import { likePattern, type Page } from "@/lib/lists";
import { urlSearchSchema } from "@/lib/url-state/schema";
import { disconnectListParams, onlineSessionListParams } from "@/lib/url-state/lists";

// Sessions and usage read from FreeRADIUS's accounting table (radius.radacct),
// joined to the customer by its service username. A reseller sees only its own
// customers' sessions: the scope is part of every query, not a filter applied later.

export type SessionScope = { role: "admin" } | { role: "reseller"; resellerId: string };

export type OnlineSession = {
  radacctId: number;
  customerId: string | null;
  customerName: string | null;
  username: string;
  resellerId: string | null;
  resellerName: string | null;
  nasIpAddress: string;
  nasName: string | null;
  framedIpAddress: string | null;
  startedAt: Date | null;
  updatedAt: Date | null;
  inputOctets: bigint;
  outputOctets: bigint;
};

/** The network's own lists (disconnects, routers) are the admin's: a reseller's scope is refused, not narrowed. */
export function assertAdminScope(scope: SessionScope): void {
  if (scope.role !== "admin") throw new DomainError("FORBIDDEN");
}

function scopeFilter(scope: SessionScope): SQL {
  if (scope.role === "admin") return sql`true`;
  if (!isUuid(scope.resellerId)) throw new DomainError("FORBIDDEN");
  return sql`c.reseller_id = ${scope.resellerId}`;
}

type Row = {
  radacct_id: string; customer_id: string | null; customer_name: string | null; username: string; reseller_id: string | null; reseller_name: string | null;
  nas_ip_address: string; nas_name: string | null; framed_ip_address: string | null; started_at: Date | string | null; updated_at: Date | string | null;
  input_octets: string | null; output_octets: string | null;
};

const toDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

function toSession(r: Row): OnlineSession {
  return {
    radacctId: Number(r.radacct_id),
    customerId: r.customer_id,
    customerName: r.customer_name,
    username: r.username,
    resellerId: r.reseller_id,
    resellerName: r.reseller_name,
    nasIpAddress: r.nas_ip_address,
    nasName: r.nas_name,
    framedIpAddress: r.framed_ip_address,
    startedAt: toDate(r.started_at),
    updatedAt: toDate(r.updated_at),
    inputOctets: BigInt(r.input_octets ?? 0),
    outputOctets: BigInt(r.output_octets ?? 0),
  };
}

const sessionColumns = sql`a.radacctid as radacct_id, c.id as customer_id, c.name as customer_name, a.username, c.reseller_id,
  r.name as reseller_name, host(a.nasipaddress) as nas_ip_address, n.shortname as nas_name, host(a.framedipaddress) as framed_ip_address,
  a.acctstarttime as started_at, a.acctupdatetime as updated_at, a.acctinputoctets as input_octets, a.acctoutputoctets as output_octets`;

/**
 * Open sessions (no stop time), newest first, a page at a time: keyset on
 * (start, id) so the millionth row pages as fast as the first. A reseller's
 * page reads its own customers' sessions only.
 */
export async function listOnlineNow(
  db: Queryable,
  scope: SessionScope,
  options: { limit?: number; before?: { startedAt: Date; radacctId: number } } = {},
): Promise<OnlineSession[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const before = options.before
    ? sql`and (a.acctstarttime, a.radacctid) < (${options.before.startedAt.toISOString()}::timestamptz, ${options.before.radacctId})`
    : sql``;
  const join = scope.role === "admin" ? sql`left join` : sql`join`;
  const rows = (await db.execute(sql`
    select ${sessionColumns}
    from radius.radacct a
    ${join} customers c on lower(c.username) = lower(a.username)
    left join resellers r on r.id = c.reseller_id
    left join lateral (select shortname from radius.nas n where n.nasname = host(a.nasipaddress) order by n.id limit 1) n on true
    where a.acctstoptime is null and ${scopeFilter(scope)} ${before}
    order by a.acctstarttime desc nulls last, a.radacctid desc
    limit ${limit}`)) as unknown as Row[];
  return rows.map(toSession);
}

/** The Online now list's URL (lib/url-state/lists; the same parsers write it in the browser). */
export const onlineSessionSearchSchema = urlSearchSchema(onlineSessionListParams);
export type OnlineSessionSearch = ReturnType<typeof onlineSessionSearchSchema.parse>;

export function parseOnlineSessionSearch(params: Record<string, unknown> = {}): OnlineSessionSearch {
  return onlineSessionSearchSchema.parse(params);
}

/** Online now counts at most this many sessions past the page on screen; beyond it the list says "10,000+". */
export const OPEN_SESSION_COUNT_CAP = 10_000;

export type OpenSessionPage = Page<OnlineSession> & {
  /** True when there are more sessions than `total` (the count stopped at OPEN_SESSION_COUNT_CAP past the page). */
  totalIsAtLeast: boolean;
};

/**
 * Online now as a list page: open sessions in scope, filtered, sorted and
 * paged by the database. The reseller's scope is in the query itself (its
 * own customers' sessions only, whatever `reseller` the URL names); the
 * admin also sees sessions of usernames no customer has. The search matches
 * a customer's name, the username or the session's address.
 *
 * The page is chosen on radacct alone (the open-session indexes walk the
 * sort order; a reseller's scope is an index-only probe of its customers by
 * lowercased username), and only its rows are joined to customers, resellers
 * and routers. The count stops OPEN_SESSION_COUNT_CAP sessions past the page:
 * a reseller with 30,000 customers online sees "10,000+", never a join of
 * every open session on each page view.
 */
export async function listOpenSessions(db: Queryable, scope: SessionScope, search: OnlineSessionSearch): Promise<OpenSessionPage> {
  if (scope.role === "reseller" && !isUuid(scope.resellerId)) throw new DomainError("FORBIDDEN");
  const resellerId = scope.role === "reseller" ? scope.resellerId : (search.reseller ?? null);
  const inScope = resellerId
    ? sql`and exists (select 1 from customers o where o.reseller_id = ${resellerId} and lower(o.username) = lower(a.username))`
    : sql``;
  // Each part of the search runs on its own index, and only the sessions they find are sorted and paged: the
  // customers' trigram index gives the usernames whose customer matches (then the open sessions by lowercased
  // username), the open sessions' trigram indexes match the username and the address.
  const pattern = search.q ? likePattern(search.q) : null;
  const q = pattern
    ? sql`and a.radacctid in (
        select m.radacctid from radius.radacct m where m.acctstoptime is null and lower(m.username) = any (array(select lower(s.username) from customers s
          where ${customerSearchText({ name: sql`s.name`, username: sql`s.username`, phone: sql`s.phone` })} ilike ${pattern}))
        union all select m.radacctid from radius.radacct m where m.acctstoptime is null and m.username ilike ${pattern}
        union all select m.radacctid from radius.radacct m where m.acctstoptime is null and host(m.framedipaddress) ilike ${pattern})`
    : sql``;
  const where = sql`a.acctstoptime is null ${inScope} ${q}`;
  const direction = search.sort.direction === "asc" ? sql`asc` : sql`desc`;
  const order =
    search.sort.column === "username"
      ? sql`a.username ${direction}, a.radacctid ${direction}`
      : // Both directions walk the open-session index (start desc, id desc; nulls first), so a page reads only its rows.
        sql`a.acctstarttime ${direction}, a.radacctid ${direction}`;
  const offset = (search.page - 1) * search.perPage;
  const countLimit = offset + OPEN_SESSION_COUNT_CAP;
  const [rows, counted] = await Promise.all([
    db.execute(sql`
      with page as (select a.radacctid from radius.radacct a where ${where} order by ${order} limit ${search.perPage} offset ${offset})
      select ${sessionColumns}
      from page p
      join radius.radacct a on a.radacctid = p.radacctid
      left join customers c on lower(c.username) = lower(a.username)
      left join resellers r on r.id = c.reseller_id
      left join lateral (select shortname from radius.nas n where n.nasname = host(a.nasipaddress) order by n.id limit 1) n on true
      order by ${order}`) as unknown as Promise<Row[]>,
    db.execute(sql`select count(*)::int as n from (select 1 from radius.radacct a where ${where} limit ${countLimit + 1}) x`) as unknown as Promise<{ n: number }[]>,
  ]);
  const n = counted[0]?.n ?? 0;
  const totalIsAtLeast = n > countLimit;
  const total = Math.min(n, countLimit);
  return { rows: rows.map(toSession), total, pageCount: Math.ceil(total / search.perPage), totalIsAtLeast };
}

export type CustomerNetwork = {
  online: boolean;
  sessions: (OnlineSession & { stoppedAt: Date | null; terminateCause: string | null })[];
  /** Bytes in this service period (since the current subscription started, or the last 30 days). */
  usage: { since: Date; inputOctets: bigint; outputOctets: bigint };
};

/**
 * One customer's network picture: online or not, its last sessions and its
 * usage this period. The customer must be in scope (another reseller's is
 * CUSTOMER_NOT_FOUND, as everywhere).
 */
export async function customerNetwork(db: Queryable, scope: SessionScope, customerId: string, since: Date, limit = 10): Promise<CustomerNetwork> {
  if (!isUuid(customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  const [customer] = (await db.execute(sql`select c.username from customers c where c.id = ${customerId} and ${scopeFilter(scope)}`)) as unknown as { username: string }[];
  if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
  const [rows, usage] = await Promise.all([
    db.execute(sql`
      select ${sessionColumns}, a.acctstoptime as stopped_at, a.acctterminatecause as terminate_cause
      from radius.radacct a join customers c on lower(c.username) = lower(a.username) left join resellers r on r.id = c.reseller_id
      left join lateral (select shortname from radius.nas n where n.nasname = host(a.nasipaddress) order by n.id limit 1) n on true
      where a.username = ${customer.username}
      order by a.acctstarttime desc nulls last, a.radacctid desc limit ${limit}`) as unknown as Promise<(Row & { stopped_at: Date | string | null; terminate_cause: string | null })[]>,
    db.execute(sql`
      select coalesce(sum(acctinputoctets), 0)::text as input, coalesce(sum(acctoutputoctets), 0)::text as output
      from radius.radacct where username = ${customer.username} and (acctstoptime is null or acctstoptime >= ${since.toISOString()}::timestamptz)`) as unknown as Promise<{ input: string; output: string }[]>,
  ]);
  const sessions = rows.map((r) => ({ ...toSession(r), stoppedAt: toDate(r.stopped_at), terminateCause: r.terminate_cause }));
  const [open] = (await db.execute(sql`select exists (select 1 from radius.radacct where username = ${customer.username} and acctstoptime is null) as online`)) as unknown as { online: boolean }[];
  return {
    online: open?.online ?? false,
    sessions,
    usage: { since, inputOctets: BigInt(usage[0]?.input ?? "0"), outputOctets: BigInt(usage[0]?.output ?? "0") },
  };
}

export type DisconnectRow = {
  id: number;
  kind: "disconnect" | "coa";
  reason: string;
  customerId: string | null;
  customerName: string | null;
  username: string;
  nasIpAddress: string;
  /** The router's name when a router has that address. */
  nasName: string | null;
  status: "pending" | "acked" | "failed";
  attempts: number;
  lastOutcome: "ack" | "nak" | "timeout" | "error" | null;
  lastDetail: string | null;
  createdAt: Date;
  completedAt: Date | null;
};

/** One disconnect request with its customer, its router's name and its last attempt's detail, for rows already chosen. */
const disconnectColumns = sql`d.id, d.kind, d.reason, d.customer_id, c.name as customer_name, d.username, host(d.nas_ip_address) as nas_ip, n.shortname as nas_name,
  d.status, d.attempts, d.last_outcome,
  (select a.detail from radius_disconnect_attempts a where a.disconnect_id = d.id order by a.id desc limit 1) as last_detail,
  d.created_at, d.completed_at`;
const disconnectJoins = sql`left join customers c on c.id = d.customer_id
  left join lateral (select shortname from radius.nas n where n.nasname = host(d.nas_ip_address) order by n.id limit 1) n on true`;

function toDisconnect(r: Record<string, unknown>): DisconnectRow {
  return {
    id: Number(r.id),
    kind: r.kind as DisconnectRow["kind"],
    reason: String(r.reason),
    customerId: (r.customer_id as string | null) ?? null,
    customerName: (r.customer_name as string | null) ?? null,
    username: String(r.username),
    nasIpAddress: String(r.nas_ip),
    nasName: (r.nas_name as string | null) ?? null,
    status: r.status as DisconnectRow["status"],
    attempts: Number(r.attempts),
    lastOutcome: (r.last_outcome as DisconnectRow["lastOutcome"]) ?? null,
    lastDetail: (r.last_detail as string | null) ?? null,
    createdAt: toDate(r.created_at as Date | string)!,
    completedAt: toDate((r.completed_at as Date | string | null) ?? null),
  };
}

/** The latest Disconnect/CoA requests and how they went (newest first), in scope; one customer's when given. */
export async function recentDisconnects(db: Queryable, scope: SessionScope, options: { customerId?: string; limit?: number } = {}): Promise<DisconnectRow[]> {
  if (options.customerId !== undefined && !isUuid(options.customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  const limit = Math.min(Math.max(options.limit ?? 20, 1), 200);
  const rows = (await db.execute(sql`
    select ${disconnectColumns}
    from radius_disconnects d ${disconnectJoins}
    where ${scope.role === "admin" ? sql`true` : scopeFilter(scope)} ${options.customerId ? sql`and d.customer_id = ${options.customerId}` : sql``}
    order by d.created_at desc, d.id desc limit ${limit}`)) as unknown as Record<string, unknown>[];
  return rows.map(toDisconnect);
}

/** Network › Disconnects' URL (lib/url-state/lists; the same parsers write it in the browser). */
export const disconnectSearchSchema = urlSearchSchema(disconnectListParams);
export type DisconnectSearch = ReturnType<typeof disconnectSearchSchema.parse>;

/**
 * Network › Disconnects: every Disconnect/CoA request, filtered by status and
 * last outcome, searched by customer (name or username) or router (name or
 * address), sorted and paged by the database. The admin's only: a reseller
 * sees its own customers' requests on their pages (recentDisconnects).
 */
export async function listDisconnects(db: Queryable, scope: SessionScope, search: DisconnectSearch): Promise<Page<DisconnectRow>> {
  assertAdminScope(scope);
  const pattern = search.q ? likePattern(search.q) : null;
  const where = sql.join(
    [
      sql`true`,
      search.status ? sql`d.status = ${search.status}` : null,
      search.outcome ? sql`d.last_outcome = ${search.outcome}` : null,
      pattern
        ? sql`(d.username ilike ${pattern} or c.name ilike ${pattern} or host(d.nas_ip_address) ilike ${pattern}
            or exists (select 1 from radius.nas m where m.nasname = host(d.nas_ip_address) and m.shortname ilike ${pattern}))`
        : null,
    ].filter((part): part is SQL => part !== null),
    sql` and `,
  );
  const direction = search.sort.direction === "asc" ? sql`asc` : sql`desc`;
  const column = {
    createdAt: sql`d.created_at`,
    username: sql`d.username`,
    router: sql`coalesce(n.shortname, host(d.nas_ip_address))`,
    status: sql`d.status`,
  }[search.sort.column];
  const [rows, counted] = await Promise.all([
    db.execute(sql`
      select ${disconnectColumns}
      from radius_disconnects d ${disconnectJoins}
      where ${where}
      order by ${column} ${direction}, d.id ${direction}
      limit ${search.perPage} offset ${(search.page - 1) * search.perPage}`) as unknown as Promise<Record<string, unknown>[]>,
    db.execute(sql`select count(*)::int as n from radius_disconnects d left join customers c on c.id = d.customer_id where ${where}`) as unknown as Promise<{ n: number }[]>,
  ]);
  const total = counted[0]?.n ?? 0;
  return { rows: rows.map(toDisconnect), total, pageCount: Math.ceil(total / search.perPage) };
}
