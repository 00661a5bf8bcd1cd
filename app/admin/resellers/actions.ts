"use server";

import { getDb } from "@/db/client";
import { addResellerUser, addResellerUserForm, setUserDisabled, userDisabledForm } from "@/lib/reseller-users";
import {
  createReseller,
  createResellerForm,
  resellerScopeForm,
  resellerStatusForm,
  setResellerScope,
  setResellerStatus,
  updateReseller,
  updateResellerForm,
} from "@/lib/resellers";
import { admin, guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/admin/resellers"] };

export const createResellerAction = guardedAction(admin, createResellerForm, async (input, { actor }) => {
  const reseller = await createReseller(getDb(), actor, input);
  return { id: reseller.id, name: reseller.name };
}, revalidate);

export const updateResellerAction = guardedAction(admin, updateResellerForm, async (input, { actor }) => {
  const reseller = await updateReseller(getDb(), actor, input);
  return { id: reseller.id, name: reseller.name };
}, revalidate);

export const resellerScopeAction = guardedAction(admin, resellerScopeForm, (input, { actor }) => setResellerScope(getDb(), actor, input), revalidate);

export const resellerStatusAction = guardedAction(admin, resellerStatusForm, (input, { actor }) => setResellerStatus(getDb(), actor, input), revalidate);

export const addResellerUserAction = guardedAction(admin, addResellerUserForm, (input, { actor }) => addResellerUser(getDb(), actor, input), revalidate);

export const userDisabledAction = guardedAction(admin, userDisabledForm, (input, { actor }) => setUserDisabled(getDb(), actor, input), revalidate);
