import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { areas, resellerAreas } from "@/db/schema";
import { DomainError } from "./errors";
import { isUuid } from "./ids";

/** Every area (admin filters and the reseller scope form), by name. */
export function allAreas(db: Queryable) {
  return db.select({ id: areas.id, name: areas.name }).from(areas).orderBy(asc(areas.name));
}

/** The areas a reseller serves, by name (its detail page, the area filter and the customer form). */
export async function listResellerAreas(db: Queryable, resellerId: string) {
  if (!isUuid(resellerId)) return [];
  return db
    .select({ id: areas.id, name: areas.name })
    .from(resellerAreas)
    .innerJoin(areas, eq(areas.id, resellerAreas.areaId))
    .where(eq(resellerAreas.resellerId, resellerId))
    .orderBy(asc(areas.name));
}

/** AREA_NOT_IN_SCOPE (with a field message) unless the reseller serves the area. */
export async function assertAreaInScope(db: Queryable, resellerId: string, areaId: string) {
  const [row] = await db
    .select({ areaId: resellerAreas.areaId })
    .from(resellerAreas)
    .where(and(eq(resellerAreas.resellerId, resellerId), eq(resellerAreas.areaId, areaId)));
  if (!row) throw new DomainError("AREA_NOT_IN_SCOPE", undefined, { areaId: "Choose one of your areas." });
}
