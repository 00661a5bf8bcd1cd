import "server-only";
import type { Queryable } from "@/db/client";
import { auditLog } from "@/db/schema";
import type { Actor } from "./billing/actor";

export type AuditEvent = {
  action: string;
  targetType?: string;
  targetId?: string;
  resellerId?: string | null;
  details?: Record<string, unknown>;
};

/** Appends one row to the audit log, inside the caller's transaction when given one. */
export async function recordAudit(db: Queryable, actor: Actor, event: AuditEvent): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: actor.userId,
    actorLabel: actor.label,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    resellerId: event.resellerId ?? null,
    ipAddress: actor.ipAddress ?? null,
    details: event.details ?? null,
  });
}
