import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "@/db/client";

// Provisioning: the RADIUS rows FreeRADIUS reads, rewritten inside the
// command's own transaction from the views that derive them from the books
// (migration 0014: radius_expected_*), so the network can never disagree with
// the ledger and subscriptions, and a rolled-back command leaves them as they
// were. Every billing command that changes who may be online calls one of
// these with its `tx`; checkInvariants compares the tables with the same views.

/** Whose rows to rewrite: one customer, or every customer of a reseller. */
export type ProvisionScope = { customerId: string; previousUsername?: string } | { resellerId: string };

function filterOf(scope: ProvisionScope): SQL {
  return "customerId" in scope ? sql`customer_id = ${scope.customerId}` : sql`reseller_id = ${scope.resellerId}`;
}

/**
 * Rewrites the customers' radcheck and radusergroup rows, and queues an
 * RFC 5176 request for each open session that the change affects: a
 * Disconnect-Request when the customer may no longer be online (suspended,
 * its reseller suspended, its service reversed away), a CoA-Request when it
 * stays online on another package. One statement: its parts all read the rows
 * as they were before it, so the queue compares old with new.
 * Returns how many requests it queued.
 */
export async function provisionCustomers(tx: Queryable, scope: ProvisionScope): Promise<number> {
  const where = filterOf(scope);
  const previous = "customerId" in scope && scope.previousUsername ? scope.previousUsername : null;
  const [row] = (await tx.execute(sql`
    with e as materialized (
      select customer_id, username, groupname, customer_status, reseller_status, expires_at
      from radius_expected_users where ${where}
    ),
    old as (
      select e.*, g.groupname as old_group,
        (select rc.value from radius.radcheck rc where rc.username = e.username and rc.attribute = 'Expiration' limit 1) as old_expiration
      from e left join radius.radusergroup g on g.username = e.username
    ),
    changes as (
      select old.*,
        case
          when old.groupname <> 'lastmile-suspended' and old.expires_at > now() then
            case when old.old_group is not null and old.old_group <> 'lastmile-suspended' and old.old_group <> old.groupname then 'coa' end
          when old.old_group is distinct from old.groupname
            or old.old_expiration is distinct from floor(extract(epoch from old.expires_at))::bigint::text then 'disconnect'
        end as kind
      from old
    ),
    queued as (
      insert into radius_disconnects (kind, reason, customer_id, username, radacct_id, acct_session_id, nas_ip_address, framed_ip_address)
      select c.kind,
        case
          when c.kind = 'coa' then 'package_changed'
          when c.customer_status = 'suspended' then 'customer_suspended'
          when c.reseller_status = 'suspended' then 'reseller_suspended'
          else 'no_service'
        end,
        c.customer_id, a.username, a.radacctid, a.acctsessionid, a.nasipaddress, a.framedipaddress
      from changes c join radius.radacct a on a.username = c.username and a.acctstoptime is null
      where c.kind is not null
      returning 1
    ),
    -- One IN over a union (not "IN (…) OR username = …", which PostgreSQL can only
    -- answer by reading the whole table): the username index finds the rows.
    check_gone as (
      delete from radius.radcheck where username in (select username from e union all select ${previous}::text)
    ),
    check_new as (
      insert into radius.radcheck (username, attribute, op, value)
      select username, attribute, op, value from radius_expected_radcheck where ${where}
    ),
    group_gone as (
      delete from radius.radusergroup where username in (select username from e union all select ${previous}::text)
    ),
    group_new as (
      insert into radius.radusergroup (username, groupname, priority)
      select username, groupname, priority from radius_expected_radusergroup where ${where}
    )
    select (select count(*) from queued)::int as queued
  `)) as unknown as { queued: number }[];
  return row?.queued ?? 0;
}

/** Rewrites one package's group (rate limit, address pool, simultaneous sessions) from the package row. */
export async function provisionPackage(tx: Queryable, packageId: string): Promise<void> {
  const group = `lastmile-package-${packageId}`;
  await tx.execute(sql`
    with check_gone as (delete from radius.radgroupcheck where groupname = ${group}),
    check_new as (
      insert into radius.radgroupcheck (groupname, attribute, op, value)
      select groupname, attribute, op, value from radius_expected_radgroupcheck where groupname = ${group}
    ),
    reply_gone as (delete from radius.radgroupreply where groupname = ${group})
    insert into radius.radgroupreply (groupname, attribute, op, value)
    select groupname, attribute, op, value from radius_expected_radgroupreply where groupname = ${group}
  `);
}

/**
 * The invariant checks (added to checkInvariants): each table holds exactly
 * the rows the books call for, no more, no fewer (compared as multisets).
 */
export const radiusInvariantChecks: { rule: string; query: SQL }[] = [
  ["radcheck", sql`select username, attribute, op::text, value from radius_expected_radcheck`, sql`select username, attribute, op::text, value from radius.radcheck`],
  ["radusergroup", sql`select username, groupname, null::text, priority::text from radius_expected_radusergroup`, sql`select username, groupname, null::text, priority::text from radius.radusergroup`],
  ["radgroupcheck", sql`select groupname, attribute, op::text, value from radius_expected_radgroupcheck`, sql`select groupname, attribute, op::text, value from radius.radgroupcheck`],
  ["radgroupreply", sql`select groupname, attribute, op::text, value from radius_expected_radgroupreply`, sql`select groupname, attribute, op::text, value from radius.radgroupreply`],
].map(([table, expected, actual]) => ({
  rule: `radius_${table as string}_matches_books`,
  query: sql`select 'missing from radius.' || ${table as string} || ': ' || concat_ws(' ', k, a, o, v) as detail
      from ((${expected as SQL}) except all (${actual as SQL})) m(k, a, o, v)
    union all
    select 'unexpected in radius.' || ${table as string} || ': ' || concat_ws(' ', k, a, o, v)
      from ((${actual as SQL}) except all (${expected as SQL})) x(k, a, o, v)`,
}));

/** Radreply is not used by Lastmile (attributes live in package groups): any row there is a drift. */
radiusInvariantChecks.push({
  rule: "radius_radreply_empty",
  query: sql`select 'unexpected in radius.radreply: ' || username || ' ' || attribute as detail from radius.radreply`,
});

/**
 * Rewrites every Lastmile-managed RADIUS row from the books at once (the
 * install's repair step, and for data written outside the commands, such as
 * the demo seed's bulk inserts). It queues no disconnects.
 */
export async function provisionAll(tx: Queryable): Promise<void> {
  await tx.execute(sql`
    with a as (delete from radius.radcheck),
    b as (insert into radius.radcheck (username, attribute, op, value) select username, attribute, op, value from radius_expected_radcheck),
    c as (delete from radius.radusergroup),
    d as (insert into radius.radusergroup (username, groupname, priority) select username, groupname, priority from radius_expected_radusergroup),
    e as (delete from radius.radgroupcheck),
    f as (insert into radius.radgroupcheck (groupname, attribute, op, value) select groupname, attribute, op, value from radius_expected_radgroupcheck),
    g as (delete from radius.radgroupreply)
    insert into radius.radgroupreply (groupname, attribute, op, value) select groupname, attribute, op, value from radius_expected_radgroupreply
  `);
}
