import "server-only";
import { and, asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { areas, customers, customerSearchText, resellers } from "@/db/schema";
import { customerSummaryColumns } from "./columns";
import { likePattern, toCsv, type Page } from "./lists";
import { expiryCondition } from "./portal/customers";
import { expiryState, type CustomerExpiryFilter } from "./portal/expiry";
import { customerDirectoryParams } from "./url-state/lists";
import { urlSearchSchema } from "./url-state/schema";

/** The admin's view of every reseller's customers; its URL as lib/url-state/lists defines it. */
export const directorySearchSchema = urlSearchSchema(customerDirectoryParams);
export type DirectorySearch = z.output<typeof directorySearchSchema>;

function where(search: DirectorySearch): SQL | undefined {
  return and(
    search.q ? sql`${customerSearchText(customers)} ilike ${likePattern(search.q)}` : undefined,
    search.reseller ? eq(customers.resellerId, search.reseller) : undefined,
    search.area ? eq(customers.areaId, search.area) : undefined,
    search.status ? eq(customers.status, search.status) : undefined,
    search.expiry ? expiryCondition(search.expiry) : undefined,
  );
}

function selectRows(db: Queryable, search: DirectorySearch) {
  const dir = search.sort.direction === "asc" ? asc : desc;
  const column = { name: customers.name, username: customers.username, reseller: resellers.name, createdAt: customers.createdAt, expiresAt: customers.expiresAt }[search.sort.column];
  return db
    .select({
      ...customerSummaryColumns,
      createdAt: customers.createdAt,
      areaName: areas.name,
      resellerId: resellers.id,
      resellerName: resellers.name,
    })
    .from(customers)
    .innerJoin(resellers, eq(resellers.id, customers.resellerId))
    .innerJoin(areas, eq(areas.id, customers.areaId))
    .where(where(search))
    .orderBy(dir(column), dir(customers.id));
}
export type DirectoryRow = Awaited<ReturnType<typeof selectRows>>[number] & { expiry: CustomerExpiryFilter };

export async function listAllCustomers(db: Queryable, search: DirectorySearch): Promise<Page<DirectoryRow>> {
  const [rows, [total]] = await Promise.all([
    selectRows(db, search).limit(search.perPage).offset((search.page - 1) * search.perPage),
    db.select({ n: count() }).from(customers).where(where(search)),
  ]);
  const now = new Date();
  const n = total?.n ?? 0;
  return { rows: rows.map((r) => ({ ...r, expiry: expiryState(r.expiresAt, now) })), total: n, pageCount: Math.ceil(n / search.perPage) };
}

export async function allCustomersCsv(db: Queryable, search: DirectorySearch): Promise<string> {
  const rows = await selectRows(db, search).limit(250_000);
  const now = new Date();
  return toCsv(
    ["username", "name", "phone", "reseller", "area", "status", "expires_at", "expiry", "created_at"],
    rows.map((r) => [r.username, r.name, r.phone, r.resellerName, r.areaName, r.status, r.expiresAt?.toISOString(), expiryState(r.expiresAt, now), r.createdAt.toISOString()]),
  );
}

/** Resellers for filter menus. */
export function resellerOptions(db: Queryable) {
  return db.select({ value: resellers.id, label: resellers.name }).from(resellers).orderBy(asc(resellers.name));
}
