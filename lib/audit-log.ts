import "server-only";
import { and, count, desc, eq, gte, ilike, lt, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { Queryable } from "@/db/client";
import { auditLog, resellers } from "@/db/schema";
import { installTimeZone } from "./config";
import { dayStartIn } from "./dates";
import { likePattern, toCsv, type Page } from "./lists";
import { auditListParams } from "./url-state/lists";
import { urlSearchSchema } from "./url-state/schema";

/** The audit log's URL (lib/url-state/lists: the same parsers write it in the browser). */
export const auditSearchSchema = urlSearchSchema(auditListParams);
export type AuditSearch = z.output<typeof auditSearchSchema>;

function where(search: AuditSearch): SQL | undefined {
  return and(
    search.action ? (search.action.endsWith(".") ? ilike(auditLog.action, `${search.action}%`) : eq(auditLog.action, search.action)) : undefined,
    search.q ? ilike(auditLog.actorLabel, likePattern(search.q)) : undefined,
    search.reseller ? eq(auditLog.resellerId, search.reseller) : undefined,
    search.from ? gte(auditLog.createdAt, dayStartIn(search.from, installTimeZone())) : undefined,
    search.to ? lt(auditLog.createdAt, dayStartIn(search.to, installTimeZone(), 1)) : undefined,
  );
}

function selectRows(db: Queryable, search: AuditSearch) {
  return db
    .select({
      id: auditLog.id,
      createdAt: auditLog.createdAt,
      actor: auditLog.actorLabel,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      ipAddress: auditLog.ipAddress,
      details: auditLog.details,
      resellerName: resellers.name,
    })
    .from(auditLog)
    .leftJoin(resellers, eq(resellers.id, auditLog.resellerId))
    .where(where(search))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id));
}
export type AuditRow = Awaited<ReturnType<typeof selectRows>>[number];

/** Who did what, newest first (index audit_log_created_idx). */
export async function listAudit(db: Queryable, search: AuditSearch): Promise<Page<AuditRow>> {
  const [rows, [total]] = await Promise.all([
    selectRows(db, search).limit(search.perPage).offset((search.page - 1) * search.perPage),
    db.select({ n: count() }).from(auditLog).where(where(search)),
  ]);
  const n = total?.n ?? 0;
  return { rows, total: n, pageCount: Math.ceil(n / search.perPage) };
}

export async function auditCsv(db: Queryable, search: AuditSearch): Promise<string> {
  const rows = await selectRows(db, search).limit(100_000);
  return toCsv(
    ["id", "at", "actor", "action", "target_type", "target_id", "reseller", "ip_address", "details"],
    rows.map((r) => [r.id, r.createdAt.toISOString(), r.actor, r.action, r.targetType, r.targetId, r.resellerName, r.ipAddress, r.details ? JSON.stringify(r.details) : ""]),
  );
}

/** The actions recorded so far, for the filter menu. */
export async function auditActions(db: Queryable): Promise<string[]> {
  const rows = await db.selectDistinct({ action: auditLog.action }).from(auditLog).orderBy(auditLog.action);
  return rows.map((r) => r.action);
}
