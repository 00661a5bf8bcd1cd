import "server-only";
import { provisionPackage } from "@/lib/radius/provision";
import { and, asc, count, desc, eq, ilike, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Queryable } from "@/db/client";
import { packages, resellerPackageRates, type Package } from "@/db/schema";
import { recordAudit } from "./audit";
import { assertAdmin, type Actor } from "./billing/actor";
import { runCreate } from "./billing/idempotency";
import { violatedConstraint } from "./db-errors";
import { DomainError } from "./errors";
import { zIdempotencyKey, zMoney, zWholeNumber } from "./forms";
import { isUuid } from "./ids";
import { likePattern, type Page } from "./lists";
import { packageListParams } from "./url-state/lists";
import { urlSearchSchema } from "./url-state/schema";
import { retriedTransaction } from "@/lib/db-retry";

export const packageForm = z.object({
  name: z.string().trim().min(2, "Give the package a name.").max(80, "Keep the name under 80 characters."),
  customerPrice: zMoney(),
  validityDays: zWholeNumber({ required: "Enter the number of days.", whole: "Whole days only." }, 1, 3660, { min: "At least 1 day.", max: "At most 3660 days." }),
  downloadMbps: zWholeNumber({ required: "Enter the download speed.", whole: "Whole Mbps only." }, 1, 100_000, { min: "At least 1 Mbps." }),
  uploadMbps: zWholeNumber({ required: "Enter the upload speed.", whole: "Whole Mbps only." }, 1, 100_000, { min: "At least 1 Mbps." }),
  /** The router's address pool for this package (RADIUS Framed-Pool); empty for the router's default. */
  framedPool: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? null : typeof v === "string" ? v.trim() : v),
    z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, "Use up to 64 letters, digits and . _ - for the pool name.").nullable().default(null),
  ),
  /** How many sessions one customer may have open at once (RADIUS Simultaneous-Use). */
  simultaneousUse: zWholeNumber(
    { required: "Enter how many sessions a customer may have at once.", whole: "A whole number of sessions." },
    1,
    100,
    { min: "At least 1 session.", max: "At most 100 sessions." },
  ).default(1),
  active: z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean()),
});
export type PackageInput = z.output<typeof packageForm>;
/** Create carries the key the form was rendered with, so a double submit creates one package. */
export const createPackageForm = packageForm.extend({ idempotencyKey: zIdempotencyKey });
export type CreatePackageInput = z.output<typeof createPackageForm>;
export const updatePackageForm = packageForm.extend({ packageId: z.string().uuid() });

/** The packages list's URL (lib/url-state/lists: the same parsers write it in the browser). */
export const packageSearchSchema = urlSearchSchema(packageListParams);
export type PackageSearch = z.output<typeof packageSearchSchema>;
export type PackageRow = Package & { resellers: number };

const isNameTaken = (error: unknown) => violatedConstraint(error) === "packages_name_unique";
const nameTaken = () => new DomainError("NAME_TAKEN", "A package with that name already exists.", { name: "A package with that name already exists." });

/** Packages with how many resellers sell each; paged, sorted and filtered by the database. */
export async function listPackages(db: Queryable, search: PackageSearch): Promise<Page<PackageRow>> {
  const where = and(
    search.q ? ilike(packages.name, likePattern(search.q)) : undefined,
    search.active ? eq(packages.active, search.active === "yes") : undefined,
  );
  const dir = search.sort.direction === "asc" ? asc : desc;
  const [rows, [total]] = await Promise.all([
    db
      .select({
        package: packages,
        resellers: sql<number>`(select count(*)::int from ${resellerPackageRates} r where r.package_id = "packages"."id")`,
      })
      .from(packages)
      .where(where)
      .orderBy(dir(packages[search.sort.column]), asc(packages.id))
      .limit(search.perPage)
      .offset((search.page - 1) * search.perPage),
    db.select({ n: count() }).from(packages).where(where),
  ]);
  const n = total?.n ?? 0;
  return { rows: rows.map((r) => ({ ...r.package, resellers: r.resellers })), total: n, pageCount: Math.ceil(n / search.perPage) };
}

/** Every package (for rate forms and filters), active first. */
export function allPackages(db: Queryable) {
  return db.select().from(packages).orderBy(desc(packages.active), asc(packages.name));
}

/** The active packages a reseller may sell, with its rate, cheapest rate first (the API's package list). */
export function packagesInScope(db: Queryable, resellerId: string) {
  if (!isUuid(resellerId)) return Promise.resolve([]);
  return db
    .select({
      id: packages.id,
      name: packages.name,
      rate: resellerPackageRates.rate,
      customerPrice: packages.customerPrice,
      validityDays: packages.validityDays,
      downloadMbps: packages.downloadMbps,
      uploadMbps: packages.uploadMbps,
    })
    .from(resellerPackageRates)
    .innerJoin(packages, eq(packages.id, resellerPackageRates.packageId))
    .where(and(eq(resellerPackageRates.resellerId, resellerId), eq(packages.active, true)))
    .orderBy(asc(resellerPackageRates.rate), asc(packages.name), asc(packages.id));
}

export async function getPackage(db: Queryable, packageId: string): Promise<Package> {
  if (!isUuid(packageId)) throw new DomainError("NOT_FOUND");
  const [row] = await db.select().from(packages).where(eq(packages.id, packageId));
  if (!row) throw new DomainError("NOT_FOUND", "That package does not exist.");
  return row;
}

export async function createPackage(db: Db, actor: Actor, input: CreatePackageInput): Promise<Package & { replayed: boolean }> {
  assertAdmin(actor);
  const { idempotencyKey, ...values } = input;
  try {
    return await runCreate(db, { key: idempotencyKey, command: "createPackage", payload: values }, async (tx) => {
      const [created] = await tx.insert(packages).values(values).returning();
      await provisionPackage(tx, created!.id);
      await recordAudit(tx, actor, { action: "package.create", targetType: "package", targetId: created!.id, details: { name: values.name, customerPrice: values.customerPrice.toString() } });
      return created!;
    });
  } catch (error) {
    if (isNameTaken(error)) throw nameTaken();
    throw error;
  }
}

/** Edits a package. Prices already charged are copied on each charge, so history never changes. */
export async function updatePackage(db: Db, actor: Actor, input: PackageInput & { packageId: string }): Promise<Package> {
  assertAdmin(actor);
  const { packageId, ...values } = input;
  try {
    return await retriedTransaction(db, async (tx) => {
      const before = await getPackage(tx, packageId);
      const [updated] = await tx.update(packages).set(values).where(eq(packages.id, packageId)).returning();
      await provisionPackage(tx, packageId);
      await recordAudit(tx, actor, {
        action: "package.update",
        targetType: "package",
        targetId: packageId,
        details: { before: { ...before, customerPrice: before.customerPrice.toString() }, after: { ...values, customerPrice: values.customerPrice.toString() } },
      });
      return updated!;
    });
  } catch (error) {
    if (isNameTaken(error)) throw nameTaken();
    throw error;
  }
}
