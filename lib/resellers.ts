import "server-only";
import { provisionCustomers } from "@/lib/radius/provision";
import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable, Tx } from "@/db/client";
import { areas, customers, packages, resellerAreas, resellerPackageRates, resellers, resellerStatus, resellerType, users } from "@/db/schema";
import { listResellerAreas } from "./areas";
import { recordAudit } from "./audit";
import { hashPassword } from "./auth/password";
import { assertAdmin, type Actor } from "./billing/actor";
import { runCreate } from "./billing/idempotency";
import { installCurrency } from "./config";
import { violatedConstraint } from "./db-errors";
import { DomainError } from "./errors";
import { zIdempotencyKey, zMoney, zOptionalText } from "./forms";
import { isUuid } from "./ids";
import { likePattern, toCsv, type Page } from "./lists";
import { outstandingOf, toDecimalString } from "./money";
import { isPermission } from "./permissions";
import { insertResellerUser, listResellerUsers, translateEmailTaken, userFields } from "./reseller-users";
import { resellerListParams } from "./url-state/lists";
import { urlSearchSchema } from "./url-state/schema";
import { retriedTransaction } from "@/lib/db-retry";

/** A reseller's money position, as every money form shows it. */
export async function getResellerPosition(db: Queryable, resellerId: string) {
  if (!isUuid(resellerId)) throw new DomainError("RESELLER_NOT_FOUND");
  const [reseller] = await db
    .select({
      id: resellers.id,
      name: resellers.name,
      type: resellers.type,
      status: resellers.status,
      balance: resellers.balance,
      collectionLimit: resellers.collectionLimit,
      currency: resellers.currency,
    })
    .from(resellers)
    .where(eq(resellers.id, resellerId));
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  return { ...reseller, outstanding: outstandingOf(reseller.balance) };
}

export type ResellerPosition = Awaited<ReturnType<typeof getResellerPosition>>;

// ---------------------------------------------------------------------------
// The list (Resellers & Managers > Resellers/Operators)
// ---------------------------------------------------------------------------

/** The list's URL (lib/url-state/lists: the same parsers write it in the browser). */
export const resellerSearchSchema = urlSearchSchema(resellerListParams);
export type ResellerSearch = z.output<typeof resellerSearchSchema>;

// Qualified by hand: Drizzle leaves columns unqualified in single-table selects.
const customerCount = sql<number>`(select count(*)::int from ${customers} c where c.reseller_id = "resellers"."id")`;
const outstandingSql = sql<bigint>`greatest(0, -${resellers.balance})`.mapWith(BigInt);

const listColumns = {
  id: resellers.id,
  name: resellers.name,
  contactName: resellers.contactName,
  email: resellers.email,
  phone: resellers.phone,
  type: resellers.type,
  status: resellers.status,
  balance: resellers.balance,
  outstanding: outstandingSql,
  collectionLimit: resellers.collectionLimit,
  currency: resellers.currency,
  customers: customerCount,
  createdAt: resellers.createdAt,
};

function listWhere(search: ResellerSearch): SQL | undefined {
  const q = search.q ? likePattern(search.q) : undefined;
  return and(
    q ? or(ilike(resellers.name, q), ilike(resellers.contactName, q), ilike(resellers.email, q), ilike(resellers.phone, q)) : undefined,
    search.type ? eq(resellers.type, search.type) : undefined,
    search.status ? eq(resellers.status, search.status) : undefined,
  );
}

function listQuery(db: Queryable, search: ResellerSearch) {
  const dir = search.sort.direction === "asc" ? asc : desc;
  const column = {
    name: resellers.name,
    balance: resellers.balance,
    outstanding: outstandingSql,
    collectionLimit: resellers.collectionLimit,
    customers: customerCount,
    createdAt: resellers.createdAt,
  }[search.sort.column];
  return db.select(listColumns).from(resellers).where(listWhere(search)).orderBy(dir(column), asc(resellers.id));
}
export type ResellerRow = Awaited<ReturnType<typeof listQuery>>[number];

export async function listResellers(db: Queryable, search: ResellerSearch): Promise<Page<ResellerRow>> {
  const [rows, [total]] = await Promise.all([
    listQuery(db, search).limit(search.perPage).offset((search.page - 1) * search.perPage),
    db.select({ n: count() }).from(resellers).where(listWhere(search)),
  ]);
  const n = total?.n ?? 0;
  return { rows, total: n, pageCount: Math.ceil(n / search.perPage) };
}

export async function resellersCsv(db: Queryable, search: ResellerSearch): Promise<string> {
  const rows = await listQuery(db, search).limit(100_000);
  return toCsv(
    ["name", "contact", "email", "phone", "type", "status", "balance", "outstanding", "collection_limit", "currency", "customers", "created_at"],
    rows.map((r) => [
      r.name,
      r.contactName,
      r.email,
      r.phone,
      r.type,
      r.status,
      toDecimalString(r.balance, r.currency),
      toDecimalString(r.outstanding, r.currency),
      toDecimalString(r.collectionLimit, r.currency),
      r.currency,
      r.customers,
      r.createdAt.toISOString(),
    ]),
  );
}

// ---------------------------------------------------------------------------
// One reseller
// ---------------------------------------------------------------------------

/** The reseller with its sign-in users, areas, package rates and permissions. */
export async function getResellerDetail(db: Queryable, resellerId: string) {
  const position = await getResellerPosition(db, resellerId);
  const [[profile], userRows, areaRows, rateRows, [customerTotal]] = await Promise.all([
    db.select().from(resellers).where(eq(resellers.id, resellerId)),
    listResellerUsers(db, resellerId),
    listResellerAreas(db, resellerId),
    db
      .select({ packageId: packages.id, name: packages.name, customerPrice: packages.customerPrice, active: packages.active, rate: resellerPackageRates.rate })
      .from(resellerPackageRates)
      .innerJoin(packages, eq(packages.id, resellerPackageRates.packageId))
      .where(eq(resellerPackageRates.resellerId, resellerId))
      .orderBy(asc(packages.name)),
    db.select({ n: count() }).from(customers).where(eq(customers.resellerId, resellerId)),
  ]);
  return {
    ...position,
    contactName: profile!.contactName,
    phone: profile!.phone,
    email: profile!.email,
    createdAt: profile!.createdAt,
    permissions: profile!.permissions.filter(isPermission),
    users: userRows,
    areas: areaRows,
    rates: rateRows,
    customers: customerTotal?.n ?? 0,
  };
}
export type ResellerDetail = Awaited<ReturnType<typeof getResellerDetail>>;

// ---------------------------------------------------------------------------
// Forms and commands
// ---------------------------------------------------------------------------

/** Rates arrive as fields named `rate:<packageId>`; an empty one means "not in scope". */
const ratesFromForm = z.record(z.string(), z.unknown()).transform((raw, ctx) => {
    const rates: { packageId: string; rate: bigint }[] = [];
    for (const [key, value] of Object.entries(raw)) {
      if (!key.startsWith("rate:") || typeof value !== "string" || value.trim() === "") continue;
      const packageId = key.slice(5);
      const parsed = zMoney().safeParse(value);
      if (!isUuid(packageId)) continue;
      if (!parsed.success) ctx.addIssue({ code: "custom", path: [key], message: parsed.error.issues[0]?.message ?? "Enter a valid rate." });
      else rates.push({ packageId, rate: parsed.data });
    }
    return rates;
});

const scopeFields = {
  permissions: z.array(z.string()).default([]).transform((list) => [...new Set(list.filter(isPermission))]),
  areaIds: z.array(z.string().uuid()).default([]),
};

const profileFields = {
  name: z.string().trim().min(2, "Enter the reseller's name.").max(120),
  contactName: zOptionalText(120),
  phone: zOptionalText(40),
  email: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => (v ? v.toLowerCase() : null))
    .pipe(z.string().email("Enter a valid email address.").nullable()),
};

/** Parses a whole reseller form: the fixed fields plus `rate:<packageId>` fields. */
function withRates<S extends z.ZodObject>(schema: S) {
  return z.unknown().transform((raw, ctx) => {
    const base = schema.safeParse(raw);
    const rates = ratesFromForm.safeParse(raw ?? {});
    if (!base.success) for (const issue of base.error.issues) ctx.addIssue({ ...issue, code: "custom", message: issue.message });
    if (!rates.success) for (const issue of rates.error.issues) ctx.addIssue({ ...issue, code: "custom", message: issue.message });
    if (!base.success || !rates.success) return z.NEVER;
    return { ...(base.data as z.output<S>), rates: rates.data };
  });
}

export const createResellerForm = withRates(
  z.object({
    ...profileFields,
    ...scopeFields,
    type: z.enum(resellerType.enumValues, { error: "Choose prepaid or postpaid." }),
    collectionLimit: z
      .string()
      .optional()
      .transform((v) => v?.trim() || "0")
      .pipe(zMoney({ allowZero: true })),
    ...userFields,
    idempotencyKey: zIdempotencyKey,
  }),
);
export type CreateResellerInput = z.output<typeof createResellerForm>;

export const updateResellerForm = z.object({ resellerId: z.string().uuid(), ...profileFields });
export type UpdateResellerInput = z.output<typeof updateResellerForm>;

export const resellerScopeForm = withRates(z.object({ resellerId: z.string().uuid(), ...scopeFields }));
export type ResellerScopeInput = z.output<typeof resellerScopeForm>;

export const resellerStatusForm = z.object({ resellerId: z.string().uuid(), status: z.enum(resellerStatus.enumValues) });


function translateUnique(error: unknown): never {
  if (violatedConstraint(error) === "resellers_name_unique") throw new DomainError("NAME_TAKEN", "A reseller with that name already exists.", { name: "A reseller with that name already exists." });
  throw translateEmailTaken(error);
}

async function writeScope(tx: Tx, resellerId: string, input: { permissions: string[]; areaIds: string[]; rates: { packageId: string; rate: bigint }[] }) {
  const knownAreas = input.areaIds.length ? await tx.select({ id: areas.id }).from(areas).where(inArray(areas.id, input.areaIds)) : [];
  if (knownAreas.length !== new Set(input.areaIds).size) throw new DomainError("VALIDATION_FAILED", "Choose areas from the list.", { areaIds: "Choose areas from the list." });
  const packageIds = input.rates.map((r) => r.packageId);
  const knownPackages = packageIds.length ? await tx.select({ id: packages.id }).from(packages).where(inArray(packages.id, packageIds)) : [];
  if (knownPackages.length !== new Set(packageIds).size) throw new DomainError("VALIDATION_FAILED", "Set rates for packages from the list.");
  await tx.update(resellers).set({ permissions: input.permissions, updatedAt: new Date() }).where(eq(resellers.id, resellerId));
  await tx.delete(resellerAreas).where(eq(resellerAreas.resellerId, resellerId));
  if (input.areaIds.length) await tx.insert(resellerAreas).values([...new Set(input.areaIds)].map((areaId) => ({ resellerId, areaId })));
  await tx.delete(resellerPackageRates).where(eq(resellerPackageRates.resellerId, resellerId));
  if (input.rates.length) await tx.insert(resellerPackageRates).values(input.rates.map((r) => ({ resellerId, ...r })));
}

const scopeDetails = (input: { permissions: string[]; areaIds: string[]; rates: { packageId: string; rate: bigint }[] }) => ({
  permissions: input.permissions,
  areaIds: input.areaIds,
  rates: input.rates.map((r) => ({ packageId: r.packageId, rate: r.rate.toString() })),
});

/**
 * Creates a reseller with its first sign-in user, permissions and scope, all
 * in one transaction, once per idempotency key (a repeat returns the same reseller).
 */
export async function createReseller(db: Db, actor: Actor, input: CreateResellerInput) {
  assertAdmin(actor);
  const { password, idempotencyKey, ...payload } = input; // the password is never fingerprinted or stored with the key
  const passwordHash = await hashPassword(password);
  try {
    return await runCreate(db, { key: idempotencyKey, command: "createReseller", payload }, async (tx) => {
      const [reseller] = await tx
        .insert(resellers)
        .values({
          name: input.name,
          contactName: input.contactName,
          phone: input.phone,
          email: input.email,
          type: input.type,
          collectionLimit: input.type === "postpaid" ? input.collectionLimit : 0n,
          currency: installCurrency(),
        })
        .returning();
      await insertResellerUser(tx, reseller!.id, input, passwordHash);
      await writeScope(tx, reseller!.id, input);
      await recordAudit(tx, actor, {
        action: "reseller.create",
        targetType: "reseller",
        targetId: reseller!.id,
        resellerId: reseller!.id,
        details: { name: input.name, type: input.type, collectionLimit: input.collectionLimit.toString(), user: input.userEmail, ...scopeDetails(input) },
      });
      return reseller!;
    });
  } catch (error) {
    translateUnique(error);
  }
}

export async function updateReseller(db: Db, actor: Actor, input: UpdateResellerInput) {
  assertAdmin(actor);
  const { resellerId, ...profile } = input;
  await getResellerPosition(db, resellerId);
  try {
    return await retriedTransaction(db, async (tx) => {
      const [updated] = await tx.update(resellers).set({ ...profile, updatedAt: new Date() }).where(eq(resellers.id, resellerId)).returning();
      await recordAudit(tx, actor, { action: "reseller.update", targetType: "reseller", targetId: resellerId, resellerId, details: profile });
      return updated!;
    });
  } catch (error) {
    translateUnique(error);
  }
}

/** Replaces the reseller's permissions, areas and package rates at once. */
export async function setResellerScope(db: Db, actor: Actor, input: ResellerScopeInput) {
  assertAdmin(actor);
  await getResellerPosition(db, input.resellerId);
  await retriedTransaction(db, async (tx) => {
    await writeScope(tx, input.resellerId, input);
    await recordAudit(tx, actor, { action: "reseller.set_scope", targetType: "reseller", targetId: input.resellerId, resellerId: input.resellerId, details: scopeDetails(input) });
  });
  return { resellerId: input.resellerId, permissions: input.permissions.length, areas: input.areaIds.length, packages: input.rates.length };
}

/** Suspends or reactivates; a suspended reseller's users are signed out on their next request and cannot charge. */
export async function setResellerStatus(db: Db, actor: Actor, input: z.output<typeof resellerStatusForm>) {
  assertAdmin(actor);
  const before = await getResellerPosition(db, input.resellerId);
  await retriedTransaction(db, async (tx) => {
    await tx.update(resellers).set({ status: input.status, updatedAt: new Date() }).where(eq(resellers.id, input.resellerId));
    // Its users' sessions end for good: reactivating later asks them to sign in again.
    if (input.status === "suspended") await tx.update(users).set({ sessionsRevokedAt: sql`now()` }).where(eq(users.resellerId, input.resellerId));
    // Its customers leave the network with it (and come back with it).
    await provisionCustomers(tx, { resellerId: input.resellerId });
    await recordAudit(tx, actor, { action: `reseller.${input.status === "active" ? "reactivate" : "suspend"}`, targetType: "reseller", targetId: input.resellerId, resellerId: input.resellerId, details: { from: before.status, to: input.status } });
  });
  return { resellerId: input.resellerId, status: input.status };
}


/**
 * The reseller list for the API: by name (then id), cut by a cursor (the last
 * id of the previous page), with the screen's filters.
 */
export async function listResellersAfter(
  db: Queryable,
  filters: Pick<ResellerSearch, "q" | "type" | "status">,
  page: { limit: number; startingAfter?: string },
): Promise<{ rows: ResellerRow[]; hasMore: boolean; nextCursor: string | null }> {
  let after: SQL | undefined;
  if (page.startingAfter !== undefined) {
    const [cursor] = isUuid(page.startingAfter) ? await db.select({ name: resellers.name, id: resellers.id }).from(resellers).where(eq(resellers.id, page.startingAfter)) : [];
    if (!cursor) throw new DomainError("VALIDATION_FAILED", "starting_after: not a reseller of this list.", { starting_after: "Not a reseller of this list." });
    after = sql`(${resellers.name}, ${resellers.id}) > (${cursor.name}, ${cursor.id}::uuid)`;
  }
  const fetched = await db
    .select(listColumns)
    .from(resellers)
    .where(and(listWhere(filters as ResellerSearch), after))
    .orderBy(asc(resellers.name), asc(resellers.id))
    .limit(page.limit + 1);
  const rows = fetched.slice(0, page.limit);
  const hasMore = fetched.length > page.limit;
  return { rows, hasMore, nextCursor: hasMore ? rows[rows.length - 1]!.id : null };
}
