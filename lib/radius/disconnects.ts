import "server-only";
import { sql } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import type { DisconnectOutcome } from "@/db/radius-schema";
import { sendRfc5176, type Rfc5176Outcome } from "./rfc5176";

// The disconnect outbox (radius_disconnects): rows are written by the billing
// commands inside their transaction (lib/radius/provision) and by the expiry
// sweep; this drains them after commit. Each row is claimed with a lease
// (SKIP LOCKED, so several app instances never send one twice at once), sent
// to the session's router outside any transaction, and its outcome recorded
// per attempt (ack, nak, timeout, error). A NAK, a timeout or an error is
// retried with a growing delay, up to MAX_ATTEMPTS, then marked failed.

export const MAX_ATTEMPTS = 5;
const MIKROTIK_VENDOR_ID = 14988;
/** Delay before retry n (after the n-th failed attempt): 5 s, 10 s, 20 s, 40 s. */
export const retryDelaySeconds = (attempts: number) => 5 * 2 ** Math.max(0, attempts - 1);

type Claimed = {
  id: string; kind: "disconnect" | "coa"; username: string; acct_session_id: string; nas_ip: string; framed_ip: string | null; attempts: number;
  nas_secret: string | null; coa_port: number | null; rate_limit: string | null;
};

export type DrainOptions = {
  limit?: number;
  timeoutMs?: number;
  /** How the request goes out; tests may stand in a router. */
  send?: typeof sendRfc5176;
};

export type DrainResult = { attempted: number; acked: number; retrying: number; failed: number };

/** Sends every due request once; returns what happened. Safe to run from several instances at once. */
export async function drainDisconnects(db: Queryable, options: DrainOptions = {}): Promise<DrainResult> {
  const send = options.send ?? sendRfc5176;
  const lease = Math.ceil((options.timeoutMs ?? 3000) / 1000) + 30;
  const claimed = (await db.execute(sql`
    with due as (
      select id from radius_disconnects
      where status = 'pending' and next_attempt_at <= now()
      order by next_attempt_at, id limit ${options.limit ?? 100}
      for update skip locked
    ),
    claimed as (
      update radius_disconnects d set next_attempt_at = now() + make_interval(secs => ${lease})
      from due where d.id = due.id
      returning d.*
    )
    select c.id, c.kind, c.username, c.acct_session_id, host(c.nas_ip_address) as nas_ip, host(c.framed_ip_address) as framed_ip, c.attempts,
      n.secret as nas_secret, coalesce(s.coa_port, 3799) as coa_port,
      (select gr.value from radius.radusergroup ug join radius.radgroupreply gr on gr.groupname = ug.groupname
        where ug.username = c.username and gr.attribute = 'Mikrotik-Rate-Limit' order by ug.priority limit 1) as rate_limit
    from claimed c
    left join lateral (select id, secret from radius.nas where nasname = host(c.nas_ip_address) order by id limit 1) n on true
    left join radius_nas_settings s on s.nas_id = n.id
    order by c.id`)) as unknown as Claimed[];

  const result: DrainResult = { attempted: claimed.length, acked: 0, retrying: 0, failed: 0 };
  await Promise.all(
    claimed.map(async (row) => {
      let outcome: Rfc5176Outcome;
      if (!row.nas_secret) {
        outcome = { outcome: "error", detail: `no router with address ${row.nas_ip} in Network > Routers` };
      } else {
        const attributes: unknown[][] = [
          ["User-Name", row.username],
          ["Acct-Session-Id", row.acct_session_id],
          ["NAS-IP-Address", row.nas_ip],
        ];
        if (row.framed_ip && !row.framed_ip.includes(":")) attributes.push(["Framed-IP-Address", row.framed_ip]);
        if (row.kind === "coa" && row.rate_limit) attributes.push(["Vendor-Specific", MIKROTIK_VENDOR_ID, [["Mikrotik-Rate-Limit", row.rate_limit]]]);
        outcome = await send({ kind: row.kind, host: row.nas_ip, port: row.coa_port ?? 3799, secret: row.nas_secret, attributes, timeoutMs: options.timeoutMs });
      }
      const status = await record(db, Number(row.id), row.attempts + 1, outcome);
      if (status === "acked") result.acked++;
      else if (status === "failed") result.failed++;
      else result.retrying++;
    }),
  );
  return result;
}

async function record(db: Queryable, id: number, attempts: number, { outcome, detail }: { outcome: DisconnectOutcome; detail: string | null }) {
  const status = outcome === "ack" ? "acked" : attempts >= MAX_ATTEMPTS ? "failed" : "pending";
  await db.execute(sql`
    with attempt as (
      insert into radius_disconnect_attempts (disconnect_id, outcome, detail) values (${id}, ${outcome}, ${detail})
    )
    update radius_disconnects set
      attempts = ${attempts},
      last_outcome = ${outcome},
      status = ${status},
      next_attempt_at = case when ${status}::text = 'pending' then now() + make_interval(secs => ${retryDelaySeconds(attempts)}) else next_attempt_at end,
      completed_at = case when ${status}::text = 'pending' then null else now() end
    where id = ${id}`);
  return status;
}

/**
 * The expiry sweep: for customers whose paid period ended since the last
 * sweep and who still have open sessions, queues a Disconnect-Request per
 * session (FreeRADIUS already refuses their next log-in by Expiration). The
 * sweep's row is locked, so two instances never queue one expiry twice.
 */
export async function sweepExpired(db: Queryable): Promise<{ queued: number; sweptUntil: Date }> {
  const [row] = (await db.execute(sql`
    with sweep as (select swept_until from radius_expiry_sweep where id = 1 for update),
    ended as (
      select c.id as customer_id, a.username, a.radacctid, a.acctsessionid, a.nasipaddress, a.framedipaddress
      from sweep, radius.radacct a
      join customers c on lower(c.username) = lower(a.username)
      where a.acctstoptime is null and c.expires_at > sweep.swept_until and c.expires_at <= now()
    ),
    queued as (
      insert into radius_disconnects (kind, reason, customer_id, username, radacct_id, acct_session_id, nas_ip_address, framed_ip_address)
      select 'disconnect', 'expired', customer_id, username, radacctid, acctsessionid, nasipaddress, framedipaddress from ended
      returning 1
    ),
    moved as (update radius_expiry_sweep set swept_until = now() where id = 1 returning swept_until)
    select (select count(*) from queued)::int as queued, (select swept_until from moved) as swept_until`)) as unknown as { queued: number; swept_until: Date | string }[];
  return { queued: row?.queued ?? 0, sweptUntil: new Date(row!.swept_until) };
}
