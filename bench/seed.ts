/**
 * Set-based seeding shared by the benchmarks: many customers in one INSERT …
 * SELECT from generate_series, as a reseller's book looks after years of use.
 */
import { randomUUID } from "node:crypto";
import type postgres from "postgres";
import type { Database } from "@/db/client";
import { onlinePayments, type OnlinePayment } from "@/db/schema";

export type CustomerSeed = {
  /** Customer g (1-based) belongs to resellerIds[g % n]. */
  resellerIds: string[];
  areaIds: string[];
  count: number;
  /** Ids are md5(idSeed || g)::uuid, so a later statement can point at customer g without reading it back. */
  idSeed?: string;
  /** Usernames are usernamePrefix || g padded to six digits (unique across the installation). */
  usernamePrefix?: string;
};

/**
 * Inserts `count` customers: names from 40 × 40 first and last names, phones,
 * 2 % suspended; expiry 10 % never, 25 % expired, 5 % within 7 days, 60 % later;
 * created over three years. Service passwords come from the column default.
 */
export async function insertCustomers(sql: postgres.Sql, seed: CustomerSeed): Promise<void> {
  const { resellerIds, areaIds, count, idSeed = "c", usernamePrefix = "u" } = seed;
  await sql`
    with first_names as (select array['Abdul','Aisha','Amina','Anil','Arif','Asha','Babu','Bilal','Chitra','Dilip','Farah','Faruk','Gita','Hasan',
        'Imran','Jamal','Kamal','Karim','Lina','Mahmud','Maya','Mita','Nadia','Nasir','Omar','Priya','Rafiq','Rahim','Rani','Raju','Rina','Sabina',
        'Salma','Samir','Shila','Sumon','Tania','Tariq','Yasmin','Zahid'] as a),
      last_names as (select array['Ahmed','Akter','Alam','Ali','Begum','Bhuiyan','Biswas','Chowdhury','Das','Dey','Gazi','Ghosh','Hasan','Hossain',
        'Islam','Kabir','Khan','Khatun','Mahmud','Malik','Mia','Miah','Mollah','Mondal','Munshi','Nath','Paul','Rahman','Rana','Roy','Saha','Sarkar',
        'Sheikh','Sikder','Talukder','Uddin','Ullah','Sultana','Parvin','Haque'] as a)
    insert into customers (id, reseller_id, area_id, username, name, phone, status, expires_at, created_at)
    select md5(${idSeed} || g)::uuid, (${resellerIds}::uuid[])[1 + g % ${resellerIds.length}::int], (${areaIds}::uuid[])[1 + g % ${areaIds.length}::int],
      ${usernamePrefix} || lpad(g::text, 6, '0'),
      (select a[1 + (g * 7) % 40] from first_names) || ' ' || (select a[1 + (g * 13 / 40) % 40] from last_names) || ' ' || g,
      '+880 17' || lpad(((g * 7919) % 100000000)::text, 8, '0'),
      (case when g % 50 = 0 then 'suspended' else 'active' end)::customer_status,
      case when g % 20 < 2 then null
           when g % 20 < 7 then now() - ((g % 365) || ' days')::interval - interval '1 hour'
           when g % 20 = 7 then now() + ((g % 167) || ' hours')::interval + interval '1 minute'
           else now() + ((8 + g % 52) || ' days')::interval end,
      now() - ((g * 9461) % (1095 * 86400) || ' seconds')::interval
    from generate_series(1, ${count}::int) g`;
}

/**
 * `count` pending sandbox online payments spread over the resellers, as the
 * start command leaves them: Checkout Session `cs_<tag>_<i>`, 1.00–999.99.
 */
export async function insertPendingPayments(db: Database["db"], o: { resellerIds: string[]; count: number; tag: string }): Promise<OnlinePayment[]> {
  return db
    .insert(onlinePayments)
    .values(
      Array.from({ length: o.count }, (_, i) => ({
        resellerId: o.resellerIds[i % o.resellerIds.length]!,
        amount: BigInt(100 + Math.floor(Math.random() * 99_900)),
        currency: "USD",
        gatewayMode: "sandbox" as const,
        checkoutSessionId: `cs_${o.tag}_${i}`,
        startedByLabel: "bench",
        idempotencyKey: `${o.tag}-${i}-${randomUUID()}`,
      })),
    )
    .returning();
}

/**
 * radacct as FreeRADIUS leaves it after a year: `rows` sessions over every customer (usernames as the
 * routers send them, from 40 routers), closed but for one open session for one customer in `openOneIn`,
 * the open ones in the order they started.
 */
export async function insertRadacctHistory(sql: postgres.Sql, o: { rows: number; openOneIn: number }): Promise<void> {
  const users = "(select row_number() over (order by username) as n, username from customers)";
  const [{ customers }] = (await sql`select count(*)::int as customers from customers`) as unknown as [{ customers: number }];
  const open = Math.floor(customers / o.openOneIn);
  await sql.unsafe(`
    insert into radius.radacct (acctsessionid, acctuniqueid, username, nasipaddress, nasportid, framedipaddress, acctstarttime, acctupdatetime, acctstoptime,
      acctsessiontime, acctinputoctets, acctoutputoctets, acctterminatecause)
    select 's' || g, md5('s' || g), u.username, ('10.255.0.' || (1 + g % 40))::inet, 'port' || g % 1000, ('100.64.' || (g / 250) % 256 || '.' || (1 + g % 250))::inet,
      now() - make_interval(secs => ((g::bigint * 7919) % 31536000) + 7200), now() - make_interval(secs => ((g::bigint * 7919) % 31536000) + 3600),
      now() - make_interval(secs => ((g::bigint * 7919) % 31536000) + 3600), 3600, (g % 1000) * 100000, (g % 1000) * 1000000, 'User-Request'
    from generate_series(1, ${o.rows - open}) g join ${users} u on u.n = 1 + g % ${customers}`);
  await sql.unsafe(`
    insert into radius.radacct (acctsessionid, acctuniqueid, username, nasipaddress, nasportid, framedipaddress, acctstarttime, acctupdatetime,
      acctinputoctets, acctoutputoctets)
    select 'o' || u.n, md5('o' || u.n), u.username, ('10.255.0.' || (1 + u.n % 40))::inet, 'port' || u.n % 1000, ('100.65.' || (u.n / 250) % 256 || '.' || (1 + u.n % 250))::inet,
      now() - make_interval(secs => (u.n * 104729) % 86400), now(), (u.n % 1000) * 50000, (u.n % 1000) * 500000
    from ${users} u where u.n % ${o.openOneIn} = 0
    -- FreeRADIUS inserts a session on its Accounting-Start: the table holds open sessions in the order they started.
    order by (u.n * 104729) % 86400 desc`);
}
