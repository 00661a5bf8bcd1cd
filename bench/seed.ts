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
