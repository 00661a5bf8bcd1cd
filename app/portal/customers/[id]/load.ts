import "server-only";
import type { Metadata } from "next";
import { cache } from "react";
import { getDb } from "@/db/client";
import { getCustomer } from "@/lib/portal/customer-commands";
import type { Permission } from "@/lib/permissions";
import { orNotFound } from "@/app/_server/not-found";
import { requireReseller } from "@/app/_server/session";

/** Every customer page: the reseller (with the permission), then its own customer or a 404. */
export async function loadCustomer(params: Promise<{ id: string }>, permission: Permission) {
  const user = await requireReseller(permission);
  const detail = await orNotFound(customerOf(user.resellerId, (await params).id));
  return { user, ...detail };
}

/** One read per request, shared by a page and its title. */
const customerOf = cache((resellerId: string, id: string) => getCustomer(getDb(), resellerId, id));

/** A customer page's title names the customer, so a tab or an installed app's switcher says where you are. */
export async function customerTitle(params: Promise<{ id: string }>, permission: Permission, what?: string): Promise<Metadata> {
  const { customer } = await loadCustomer(params, permission);
  return { title: what ? `${what} · ${customer.username}` : `${customer.name} (${customer.username})` };
}
