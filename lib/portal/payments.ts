import "server-only";
import { and, asc, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "@/db/client";
import { areas, customerPayments, customers, paymentMethod, resellers, users, type PaymentMethod } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { assertActsFor, type Actor } from "@/lib/billing/actor";
import { runCreate } from "@/lib/billing/idempotency";
import { assertValidAmount } from "@/lib/billing/rules";
import { customerPaymentColumns } from "@/lib/columns";
import { DomainError } from "@/lib/errors";
import { zIdempotencyKey, zMoney, zOptionalText } from "@/lib/forms";
import { isUuid } from "@/lib/ids";
import { likePattern, toCsv, type Page } from "@/lib/lists";
import { toDecimalString } from "@/lib/money";
import { formatReceiptNumber } from "@/lib/vocabulary";
import { dayStartIn } from "@/lib/dates";
import { timeZoneSchema } from "@/lib/statement";
import { collectionListParams } from "@/lib/url-state/lists";
import { urlSearchSchema } from "@/lib/url-state/schema";

// ---------------------------------------------------------------------------
// Collect
// ---------------------------------------------------------------------------

/** The collect-payment form; the reseller id comes from the session. */
export const collectPaymentForm = z.object({
  customerId: z.string({ error: "Choose a customer." }).uuid("Choose a customer."),
  amount: zMoney(),
  method: z.enum(paymentMethod.enumValues, { error: "Choose how the customer paid." }),
  reference: zOptionalText(100),
  note: zOptionalText(),
  idempotencyKey: zIdempotencyKey,
});
export type CollectPaymentFormInput = z.output<typeof collectPaymentForm>;

export type CollectPaymentInput = {
  resellerId: string;
  customerId: string;
  /** Minor units. */
  amount: bigint;
  method: PaymentMethod;
  reference?: string | null;
  note?: string | null;
  idempotencyKey: string;
};

export type CustomerPayment = typeof customerPayments.$inferSelect;

/**
 * Records money the reseller collected from one of its own customers in its
 * cash book (customer_payments). This is not a settlement with the admin and
 * does not touch the reseller's balance or the ledger, so it runs as a create
 * (runCreate), not a money command: once per key, a repeat returns the first
 * payment (`replayed: true`); the same key with other details is
 * IDEMPOTENCY_CONFLICT.
 */
export async function collectCustomerPayment(db: Db, actor: Actor, input: CollectPaymentInput): Promise<{ payment: CustomerPayment; replayed: boolean }> {
  assertActsFor(actor, input.resellerId);
  assertValidAmount(input.amount);
  if (!isUuid(input.resellerId) || !isUuid(input.customerId)) throw new DomainError("CUSTOMER_NOT_FOUND");
  const { idempotencyKey, ...rest } = input;
  const payload = { ...rest, reference: input.reference ?? null, note: input.note ?? null };
  return runCreate(db, { key: idempotencyKey, command: "collectCustomerPayment", payload }, async (tx) => {
    const [customer] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.id, input.customerId), eq(customers.resellerId, input.resellerId)));
    if (!customer) throw new DomainError("CUSTOMER_NOT_FOUND");
    const [payment] = await tx
      .insert(customerPayments)
      .values({
        resellerId: input.resellerId,
        customerId: input.customerId,
        amount: input.amount,
        method: input.method,
        reference: payload.reference,
        note: payload.note,
        collectedByUserId: actor.userId,
        idempotencyKey,
      })
      .returning();
    await recordAudit(tx, actor, {
      action: "customer_payment.collect",
      targetType: "customer_payment",
      targetId: payment!.id,
      resellerId: input.resellerId,
      details: { customerId: input.customerId, receiptNumber: payment!.receiptNumber, amount: input.amount.toString(), method: input.method },
    });
    return { payment: payment! };
  });
}

// ---------------------------------------------------------------------------
// Receipt
// ---------------------------------------------------------------------------

/** The printable receipt of one payment the reseller collected. Another reseller's payment is NOT_FOUND. */
export async function getReceipt(db: Queryable, resellerId: string, paymentId: string) {
  if (!isUuid(resellerId) || !isUuid(paymentId)) throw new DomainError("NOT_FOUND", "That receipt does not exist.");
  const [row] = await db
    .select({
      ...customerPaymentColumns,
      collectedBy: users.name,
      customer: {
        id: customers.id,
        username: customers.username,
        name: customers.name,
        phone: customers.phone,
        address: customers.address,
        areaName: areas.name,
      },
      reseller: {
        id: resellers.id,
        name: resellers.name,
        phone: resellers.phone,
        email: resellers.email,
        currency: resellers.currency,
      },
    })
    .from(customerPayments)
    .innerJoin(customers, eq(customers.id, customerPayments.customerId))
    .innerJoin(areas, eq(areas.id, customers.areaId))
    .innerJoin(resellers, eq(resellers.id, customerPayments.resellerId))
    .leftJoin(users, eq(users.id, customerPayments.collectedByUserId))
    .where(and(eq(customerPayments.id, paymentId), eq(customerPayments.resellerId, resellerId)));
  if (!row) throw new DomainError("NOT_FOUND", "That receipt does not exist.");
  return row;
}
export type Receipt = Awaited<ReturnType<typeof getReceipt>>;


// ---------------------------------------------------------------------------
// Collections list with totals per day
// ---------------------------------------------------------------------------

/** The collections list's URL (lib/url-state/lists: the same parsers write it in the browser); days are read in `timeZone`. */
export const collectionSearchSchema = urlSearchSchema(collectionListParams, { timeZone: timeZoneSchema });
export type CollectionSearch = z.output<typeof collectionSearchSchema>;

export function parseCollectionSearch(params: Record<string, unknown> = {}): CollectionSearch {
  return collectionSearchSchema.parse(params);
}

function collectionWhere(resellerId: string, search: CollectionSearch): SQL {
  const receipt = search.q && /^(?:R-?)?0*(\d{1,15})$/i.exec(search.q);
  return and(
    eq(customerPayments.resellerId, resellerId),
    search.method ? eq(customerPayments.method, search.method) : undefined,
    search.customerId ? eq(customerPayments.customerId, search.customerId) : undefined,
    search.from ? gte(customerPayments.createdAt, dayStartIn(search.from, search.timeZone)) : undefined,
    search.to ? lt(customerPayments.createdAt, dayStartIn(search.to, search.timeZone, 1)) : undefined,
    search.q
      ? or(
          sql`(${customers.name} || ' ' || ${customers.username}) ilike ${likePattern(search.q)}`,
          sql`${customerPayments.reference} ilike ${likePattern(search.q)}`,
          receipt ? eq(customerPayments.receiptNumber, Number(receipt[1])) : undefined,
        )
      : undefined,
  )!;
}

const collectionColumns = {
  ...customerPaymentColumns,
  customerId: customers.id,
  customerName: customers.name,
  customerUsername: customers.username,
  collectedBy: users.name,
};

function selectCollections(db: Queryable, resellerId: string, search: CollectionSearch) {
  const dir = search.sort.direction === "asc" ? asc : desc;
  const column = search.sort.column === "amount" ? customerPayments.amount : customerPayments.createdAt;
  return db
    .select(collectionColumns)
    .from(customerPayments)
    .innerJoin(customers, eq(customers.id, customerPayments.customerId))
    .leftJoin(users, eq(users.id, customerPayments.collectedByUserId))
    .where(collectionWhere(resellerId, search))
    .orderBy(dir(column), dir(customerPayments.receiptNumber));
}
export type CollectionRow = Awaited<ReturnType<typeof selectCollections>>[number];

export type CollectionDay = { day: string; payments: number; amount: bigint };

/** Days returned with per-day totals, newest first. */
export const COLLECTION_DAYS_LIMIT = 366;

/**
 * The reseller's collections (customer payments), one page, with the total
 * amount and count for the filters and a total per calendar day (in
 * `timeZone`, newest first, at most COLLECTION_DAYS_LIMIT days).
 */
export async function listCollections(
  db: Queryable,
  resellerId: string,
  search: CollectionSearch,
): Promise<Page<CollectionRow> & { totalAmount: bigint; days: CollectionDay[] }> {
  if (!isUuid(resellerId)) return { rows: [], total: 0, pageCount: 0, totalAmount: 0n, days: [] };
  const where = collectionWhere(resellerId, search);
  const day = sql`(${customerPayments.createdAt} at time zone ${search.timeZone})::date`;
  const [rows, [totals], days] = await Promise.all([
    selectCollections(db, resellerId, search)
      .limit(search.perPage)
      .offset((search.page - 1) * search.perPage),
    db
      .select({ total: sql<number>`count(*)::int`, amount: sql<bigint>`coalesce(sum(${customerPayments.amount}), 0)::bigint`.mapWith(BigInt) })
      .from(customerPayments)
      .innerJoin(customers, eq(customers.id, customerPayments.customerId))
      .where(where),
    db
      .select({
        day: sql<string>`${day}::text`,
        payments: sql<number>`count(*)::int`,
        amount: sql<bigint>`sum(${customerPayments.amount})::bigint`.mapWith(BigInt),
      })
      .from(customerPayments)
      .innerJoin(customers, eq(customers.id, customerPayments.customerId))
      .where(where)
      .groupBy(sql`1`)
      .orderBy(sql`1 desc`)
      .limit(COLLECTION_DAYS_LIMIT),
  ]);
  const total = totals?.total ?? 0;
  return { rows, total, pageCount: Math.ceil(total / search.perPage), totalAmount: totals?.amount ?? 0n, days };
}

/** The same collections as CSV (all pages), newest first unless sorted otherwise. */
export async function collectionsCsv(db: Queryable, resellerId: string, search: CollectionSearch): Promise<string> {
  const [rows, [reseller]] = isUuid(resellerId)
    ? await Promise.all([
        selectCollections(db, resellerId, search).limit(250_000),
        db.select({ currency: resellers.currency }).from(resellers).where(eq(resellers.id, resellerId)),
      ])
    : [[], []];
  const currency = reseller?.currency;
  return toCsv(
    ["receipt", "collected_at", "customer_username", "customer_name", "amount", "currency", "method", "reference", "collected_by", "note"],
    rows.map((r) => [
      formatReceiptNumber(r.receiptNumber),
      r.createdAt.toISOString(),
      r.customerUsername,
      r.customerName,
      toDecimalString(r.amount, currency),
      currency,
      r.method,
      r.reference,
      r.collectedBy,
      r.note,
    ]),
  );
}
