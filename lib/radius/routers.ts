import "server-only";
import { and, asc, count, desc, eq, ilike, or, sql } from "drizzle-orm";
import { isIP } from "node:net";
import { z } from "zod";
import type { Db, Queryable } from "@/db/client";
import { nas, radiusNasSettings } from "@/db/radius-schema";
import { recordAudit } from "@/lib/audit";
import { assertAdmin, type Actor } from "@/lib/billing/actor";
import { DomainError } from "@/lib/errors";
import { zWholeNumber } from "@/lib/forms";
import { retriedTransaction } from "@/lib/db-retry";
import { likePattern, type Page } from "@/lib/lists";
import { routerListParams } from "@/lib/url-state/lists";
import { urlSearchSchema } from "@/lib/url-state/schema";
import { nasTypes } from "./labels";
import { assertAdminScope, type SessionScope } from "./sessions";

// Routers (NAS): the admin's list in Network > Routers, written to FreeRADIUS's
// own `nas` table (read_clients) plus the port each router takes RFC 5176
// Disconnect/CoA requests on. The shared secret must stay readable for
// FreeRADIUS and for signing disconnects, so it is kept where only the app and
// the radius role can read it, and it is never sent back to a browser.

export { nasTypes };

const secretField = z
  .string()
  .min(12, "Use a shared secret of at least 12 characters.")
  .max(128, "Keep the shared secret under 128 characters.")
  .regex(/^[\x21-\x7e]+$/, "Use printable characters without spaces.")
  .refine((v) => !/["'\\]/.test(v), "Quotes and backslashes are not allowed in the secret.");

const routerFields = {
  name: z.string().trim().min(2, "Give the router a name.").max(64, "Keep the name under 64 characters.").regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, "Use letters, digits, spaces and . _ -"),
  address: z.string().trim().refine((v) => isIP(v) !== 0, "Enter the router's IP address (IPv4 or IPv6)."),
  type: z.enum(nasTypes, { error: "Choose the router's type." }),
  // ASCII digits only ("0x10" and "1e3" are not a port someone typed).
  coaPort: zWholeNumber({ required: "Enter a port.", whole: "A whole port number." }, 1, 65535, { min: "A port from 1 to 65535.", max: "A port from 1 to 65535." }).default(3799),
  description: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? null : v), z.string().trim().max(200, "Keep the description under 200 characters.").nullable().default(null)),
};

export const createRouterForm = z.object({ ...routerFields, secret: secretField });
/** Editing: an empty secret keeps the stored one. */
export const updateRouterForm = z.object({
  ...routerFields,
  routerId: zWholeNumber({ required: "Choose a router.", whole: "Choose a router." }, 1, 2_147_483_647),
  secret: z.preprocess((v) => (v === "" ? undefined : v), secretField.optional()),
});
export type CreateRouterInput = z.output<typeof createRouterForm>;
export type UpdateRouterInput = z.output<typeof updateRouterForm>;

/** Network › Routers' URL (lib/url-state/lists; the same parsers write it in the browser). */
export const routerSearchSchema = urlSearchSchema(routerListParams);
export type RouterSearch = ReturnType<typeof routerSearchSchema.parse>;

export type RouterRow = { id: number; name: string; address: string; type: string; coaPort: number; description: string | null };

function selectRouters(db: Queryable) {
  return db
    .select({ id: nas.id, name: nas.shortname, address: nas.nasname, type: nas.type, coaPort: sql<number>`coalesce(${radiusNasSettings.coaPort}, 3799)`, description: nas.description })
    .from(nas)
    .leftJoin(radiusNasSettings, eq(radiusNasSettings.nasId, nas.id));
}
const toRouter = (r: RouterRow): RouterRow => ({ ...r, coaPort: Number(r.coaPort) });

export async function listRouters(db: Queryable): Promise<RouterRow[]> {
  const rows = await selectRouters(db).orderBy(asc(nas.shortname), asc(nas.id));
  return rows.map(toRouter);
}

/** A router's name or address holds the search text; its type is the one asked for. */
function routerWhere(search: RouterSearch) {
  const pattern = search.q ? likePattern(search.q) : null;
  return and(pattern ? or(ilike(nas.shortname, pattern), ilike(nas.nasname, pattern)) : undefined, search.type ? eq(nas.type, search.type) : undefined);
}

/**
 * Network › Routers as a list page: searched by name or address, filtered by
 * type, sorted and paged by the database. The admin's only (a router's
 * address and type are the network's map); the secret is never selected.
 */
export async function listRouterPage(db: Queryable, scope: SessionScope, search: RouterSearch): Promise<Page<RouterRow>> {
  assertAdminScope(scope);
  const where = routerWhere(search);
  const dir = search.sort.direction === "asc" ? asc : desc;
  const column = { name: nas.shortname, address: nas.nasname, type: nas.type, coaPort: sql`coalesce(${radiusNasSettings.coaPort}, 3799)` }[search.sort.column];
  const [rows, [counted]] = await Promise.all([
    selectRouters(db).where(where).orderBy(dir(column), dir(nas.id)).limit(search.perPage).offset((search.page - 1) * search.perPage),
    db.select({ n: count() }).from(nas).where(where),
  ]);
  const total = counted?.n ?? 0;
  return { rows: rows.map(toRouter), total, pageCount: Math.ceil(total / search.perPage) };
}

export async function getRouter(db: Queryable, routerId: number): Promise<RouterRow> {
  const row = (await listRouters(db)).find((r) => r.id === routerId);
  if (!row) throw new DomainError("NOT_FOUND", "That router does not exist.");
  return row;
}

async function assertAddressFree(db: Queryable, address: string, exceptId?: number) {
  const [clash] = await db.select({ id: nas.id }).from(nas).where(sql`${nas.nasname} = ${address}`).limit(1);
  if (clash && clash.id !== exceptId) throw new DomainError("NAME_TAKEN", "A router with that address already exists.", { address: "A router with that address already exists." });
}

export async function createRouter(db: Db, actor: Actor, input: CreateRouterInput): Promise<RouterRow> {
  assertAdmin(actor);
  return db.transaction(async (tx) => {
    // One router per address: the address is how FreeRADIUS and the outbox find it.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('lastmile.nas', 0))`);
    await assertAddressFree(tx, input.address);
    const [row] = await tx.insert(nas).values({ nasname: input.address, shortname: input.name, type: input.type, secret: input.secret, description: input.description }).returning({ id: nas.id });
    await tx.insert(radiusNasSettings).values({ nasId: row!.id, coaPort: input.coaPort });
    await recordAudit(tx, actor, { action: "router.create", targetType: "router", targetId: String(row!.id), details: { name: input.name, address: input.address, type: input.type, coaPort: input.coaPort } });
    return getRouter(tx, row!.id);
  });
}

export async function updateRouter(db: Db, actor: Actor, input: UpdateRouterInput): Promise<RouterRow> {
  assertAdmin(actor);
  return retriedTransaction(db, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('lastmile.nas', 0))`);
    const before = await getRouter(tx, input.routerId);
    await assertAddressFree(tx, input.address, input.routerId);
    await tx
      .update(nas)
      .set({ nasname: input.address, shortname: input.name, type: input.type, description: input.description, ...(input.secret ? { secret: input.secret } : {}) })
      .where(eq(nas.id, input.routerId));
    await tx
      .insert(radiusNasSettings)
      .values({ nasId: input.routerId, coaPort: input.coaPort })
      .onConflictDoUpdate({ target: radiusNasSettings.nasId, set: { coaPort: input.coaPort, updatedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "router.update",
      targetType: "router",
      targetId: String(input.routerId),
      details: { before, after: { name: input.name, address: input.address, type: input.type, coaPort: input.coaPort }, secretChanged: Boolean(input.secret) },
    });
    return getRouter(tx, input.routerId);
  });
}
