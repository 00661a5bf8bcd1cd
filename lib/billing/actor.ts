import { DomainError } from "@/lib/errors";

/** Who is doing something: a signed-in user, or the system (webhook, seed, script). */
export type Actor = {
  userId: string | null;
  label: string;
  role: "admin" | "reseller" | "system";
  resellerId?: string | null;
  ipAddress?: string | null;
};

export const systemActor = (label = "system"): Actor => ({ userId: null, label, role: "system" });

/** Defence in depth: a reseller actor may only ever touch its own reseller. */
export function assertActsFor(actor: Actor, resellerId: string): void {
  if (actor.role === "reseller" && actor.resellerId !== resellerId) {
    throw new DomainError("FORBIDDEN");
  }
}

export function assertAdmin(actor: Actor): void {
  if (actor.role === "reseller") throw new DomainError("FORBIDDEN");
}
