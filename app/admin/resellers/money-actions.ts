"use server";

import { getDb } from "@/db/client";
import { addBalance, postingSummary, recordCashReceived, reverseEntry, setCollectionLimit, setResellerType } from "@/lib/billing";
import { addBalanceForm, cashReceivedForm, collectionLimitForm, resellerTypeForm, reverseEntryForm } from "@/lib/billing/forms";
import { admin, guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/admin"] };

// Each money form shows lib's postingSummary of what was posted: the position before and after.
export const addBalanceAction = guardedAction(admin, addBalanceForm, async (input, { actor }) => postingSummary(await addBalance(getDb(), actor, input)), revalidate);

export const cashReceivedAction = guardedAction(
  admin,
  cashReceivedForm,
  async (input, { actor }) => postingSummary(await recordCashReceived(getDb(), actor, input)),
  revalidate,
);

export const reverseEntryAction = guardedAction(admin, reverseEntryForm, async (input, { actor }) => postingSummary(await reverseEntry(getDb(), actor, input)), revalidate);

export const collectionLimitAction = guardedAction(admin, collectionLimitForm, (input, { actor }) => setCollectionLimit(getDb(), actor, input), revalidate);

export const resellerTypeAction = guardedAction(admin, resellerTypeForm, (input, { actor }) => setResellerType(getDb(), actor, input), revalidate);
