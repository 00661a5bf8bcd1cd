"use server";

import { getDb } from "@/db/client";
import { createRouter, createRouterForm, updateRouter, updateRouterForm } from "@/lib/radius/routers";
import { admin, guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/admin/network/routers"] };

export const createRouterAction = guardedAction(admin, createRouterForm, async (input, { actor }) => {
  const router = await createRouter(getDb(), actor, input);
  return { id: router.id, name: router.name };
}, revalidate);

export const updateRouterAction = guardedAction(admin, updateRouterForm, async (input, { actor }) => {
  const router = await updateRouter(getDb(), actor, input);
  return { id: router.id, name: router.name };
}, revalidate);
