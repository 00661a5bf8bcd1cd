import "server-only";
import { and, asc, count, desc, eq, gte, ilike, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { ledgerEntries, resellers } from "@/db/schema";
import { installTimeZone } from "./config";
import { dayStartIn } from "./dates";
import { likePattern, toCsv, type Page } from "./lists";
import { toDecimalString } from "./money";
import { settlementKinds, settlementListParams } from "./url-state/lists";
import { urlSearchSchema } from "./url-state/schema";

/** The payments list's URL (lib/url-state/lists: the same parsers write it in the browser). */
export const settlementSearchSchema = urlSearchSchema(settlementListParams);
export type SettlementSearch = z.output<typeof settlementSearchSchema>;

function where(search: SettlementSearch): SQL | undefined {
  return and(
    inArray(ledgerEntries.kind, search.kind ? [search.kind] : [...settlementKinds]),
    search.method ? eq(ledgerEntries.method, search.method) : undefined,
    search.from ? gte(ledgerEntries.createdAt, dayStartIn(search.from, installTimeZone())) : undefined,
    search.to ? lt(ledgerEntries.createdAt, dayStartIn(search.to, installTimeZone(), 1)) : undefined,
    search.q
      ? or(ilike(resellers.name, likePattern(search.q)), ilike(ledgerEntries.externalReference, likePattern(search.q)))
      : undefined,
  );
}

const columns = {
  id: ledgerEntries.id,
  createdAt: ledgerEntries.createdAt,
  receivedOn: ledgerEntries.receivedOn,
  kind: ledgerEntries.kind,
  amount: ledgerEntries.amount,
  method: ledgerEntries.method,
  source: ledgerEntries.source,
  reference: ledgerEntries.externalReference,
  note: ledgerEntries.note,
  actor: ledgerEntries.actorLabel,
  resellerId: resellers.id,
  resellerName: resellers.name,
  currency: resellers.currency,
};

function orderBy(sort: SettlementSearch["sort"]) {
  const dir = sort.direction === "asc" ? asc : desc;
  const column = { createdAt: ledgerEntries.createdAt, amount: ledgerEntries.amount, reseller: resellers.name }[sort.column];
  return [dir(column), dir(ledgerEntries.id)];
}

function selectRows(db: Queryable, search: SettlementSearch) {
  return db
    .select(columns)
    .from(ledgerEntries)
    .innerJoin(resellers, eq(resellers.id, ledgerEntries.resellerId))
    .where(where(search))
    .orderBy(...orderBy(search.sort));
}
export type SettlementRow = Awaited<ReturnType<typeof selectRows>>[number];

export async function listSettlements(db: Queryable, search: SettlementSearch): Promise<Page<SettlementRow> & { totalAmount: bigint }> {
  const [rows, [totals]] = await Promise.all([
    selectRows(db, search)
      .limit(search.perPage)
      .offset((search.page - 1) * search.perPage),
    db
      .select({ total: count(), totalAmount: sql<string>`coalesce(sum(${ledgerEntries.amount}), 0)::text` })
      .from(ledgerEntries)
      .innerJoin(resellers, eq(resellers.id, ledgerEntries.resellerId))
      .where(where(search)),
  ]);
  const total = totals?.total ?? 0;
  return { rows, total, pageCount: Math.ceil(total / search.perPage), totalAmount: BigInt(totals?.totalAmount ?? "0") };
}

export async function settlementsCsv(db: Queryable, search: SettlementSearch): Promise<string> {
  const rows = await selectRows(db, search).limit(100_000);
  return toCsv(
    ["entry", "posted_at", "received_on", "reseller", "kind", "amount", "currency", "method", "source", "reference", "recorded_by", "note"],
    rows.map((r) => [r.id, r.createdAt.toISOString(), r.receivedOn, r.resellerName, r.kind, toDecimalString(r.amount, r.currency), r.currency, r.method, r.source, r.reference, r.actor, r.note]),
  );
}
