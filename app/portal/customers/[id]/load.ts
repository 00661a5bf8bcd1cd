import "server-only";
import { getDb } from "@/db/client";
import { getCustomer } from "@/lib/portal/customer-commands";
import type { Permission } from "@/lib/permissions";
import { orNotFound } from "@/app/_server/not-found";
import { requireReseller } from "@/app/_server/session";

/** Every customer page: the reseller (with the permission), then its own customer or a 404. */
export async function loadCustomer(params: Promise<{ id: string }>, permission: Permission) {
  const user = await requireReseller(permission);
  const detail = await orNotFound(getCustomer(getDb(), user.resellerId, (await params).id));
  return { user, ...detail };
}
