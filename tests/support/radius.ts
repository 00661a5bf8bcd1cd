import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { ownerDb } from "./fresh-database";

/** A customer's radcheck rows as attribute → value, and its RADIUS group. */
export async function radiusRowsOf(db: Db, username: string) {
  const check = (await db.execute(
    sql`select attribute, op, value from radius.radcheck where username = ${username} order by attribute`,
  )) as unknown as { attribute: string; op: string; value: string }[];
  const groups = (await db.execute(
    sql`select groupname from radius.radusergroup where username = ${username} order by groupname`,
  )) as unknown as { groupname: string }[];
  return {
    check: Object.fromEntries(check.map((r) => [r.attribute, `${r.op} ${r.value}`])),
    groups: groups.map((g) => g.groupname),
  };
}

export const packageGroup = (packageId: string) => `lastmile-package-${packageId}`;
export const SUSPENDED_GROUP = "lastmile-suspended";

let sessionCounter = 0;
/**
 * An open accounting session, as FreeRADIUS writes on Accounting-Start. Written
 * as the owner of the tables: the app role may only read FreeRADIUS's accounting.
 */
export async function openSession(username: string, nasIp = "127.0.0.1", framedIp = "10.0.0.9") {
  const id = `sess-${++sessionCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const [row] = (await ownerDb().db.execute(sql`insert into radius.radacct
      (acctsessionid, acctuniqueid, username, nasipaddress, framedipaddress, acctstarttime, acctupdatetime, acctinputoctets, acctoutputoctets)
      values (${id}, ${id + "-u"}, ${username}, ${nasIp}::inet, ${framedIp}::inet, now(), now(), 0, 0)
      returning radacctid`)) as unknown as { radacctid: string }[];
  return { acctSessionId: id, radacctId: Number(row!.radacctid) };
}

/** The disconnect outbox rows queued for a customer, oldest first. */
export async function queuedFor(db: Db, customerId: string) {
  return (await db.execute(
    sql`select kind, reason, username, acct_session_id, status from radius_disconnects where customer_id = ${customerId} order by id`,
  )) as unknown as { kind: string; reason: string; username: string; acct_session_id: string; status: string }[];
}
