"use server";

import { getDb } from "@/db/client";
import { createPackage, createPackageForm, updatePackage, updatePackageForm } from "@/lib/packages";
import { admin, guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/admin/packages"] };

export const createPackageAction = guardedAction(admin, createPackageForm, async (input, { actor }) => {
  const created = await createPackage(getDb(), actor, input);
  return { id: created.id, name: created.name };
}, revalidate);

export const updatePackageAction = guardedAction(admin, updatePackageForm, async (input, { actor }) => {
  const updated = await updatePackage(getDb(), actor, input);
  return { id: updated.id, name: updated.name };
}, revalidate);
