"use server";

import { getDb } from "@/db/client";
import { addBalance, recordCashReceived, reverseEntry, setCollectionLimit, setResellerType, type PostingResult } from "@/lib/billing";
import { addBalanceForm, cashReceivedForm, collectionLimitForm, resellerTypeForm, reverseEntryForm } from "@/lib/billing/forms";
import { admin, guardedAction } from "../../_server/action";

const revalidate = { revalidate: ["/admin"] };

/** What a money form shows after posting: the position before and after. */
const summary = (r: PostingResult & { replayed: boolean }) => ({
  entryId: r.entry.id,
  balanceBefore: r.balanceBefore,
  balanceAfter: r.balanceAfter,
  outstandingBefore: r.outstandingBefore,
  outstandingAfter: r.outstandingAfter,
  replayed: r.replayed,
});
export type MoneySummary = ReturnType<typeof summary>;

export const addBalanceAction = guardedAction(admin, addBalanceForm, async (input, { actor }) => summary(await addBalance(getDb(), actor, input)), revalidate);

export const cashReceivedAction = guardedAction(
  admin,
  cashReceivedForm,
  async (input, { actor }) => summary(await recordCashReceived(getDb(), actor, input)),
  revalidate,
);

export const reverseEntryAction = guardedAction(admin, reverseEntryForm, async (input, { actor }) => summary(await reverseEntry(getDb(), actor, input)), revalidate);

export const collectionLimitAction = guardedAction(admin, collectionLimitForm, (input, { actor }) => setCollectionLimit(getDb(), actor, input), revalidate);

export const resellerTypeAction = guardedAction(admin, resellerTypeForm, (input, { actor }) => setResellerType(getDb(), actor, input), revalidate);
