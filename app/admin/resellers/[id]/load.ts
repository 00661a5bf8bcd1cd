import "server-only";
import { getDb } from "@/db/client";
import { getResellerDetail } from "@/lib/resellers";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";

/** Every reseller page: the admin, then the reseller or a 404. */
export async function loadReseller(params: Promise<{ id: string }>) {
  await requireAdmin();
  return orNotFound(getResellerDetail(getDb(), (await params).id));
}
