import "server-only";
import type { Metadata } from "next";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getResellerDetail } from "@/lib/resellers";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";

/** Every reseller page: the admin, then the reseller or a 404. */
export async function loadReseller(params: Promise<{ id: string }>) {
  await requireAdmin();
  return orNotFound(resellerOf((await params).id));
}

/** One read per request, shared by a page and its title. */
const resellerOf = cache((id: string) => getResellerDetail(getDb(), id));

/** A reseller page's title names the reseller. */
export async function resellerTitle(params: Promise<{ id: string }>, what?: string): Promise<Metadata> {
  const reseller = await loadReseller(params);
  return { title: what ? `${what} · ${reseller.name}` : reseller.name };
}
