"use server";

import { getDb } from "@/db/client";
import { activateSubscription, renewSubscription, type ChargeResult } from "@/lib/billing";
import { activateForm, renewForm } from "@/lib/billing/forms";
import { guardedAction } from "../../_server/action";

const revalidate = { revalidate: ["/portal"] };

/** What the confirm form shows after a charge: the new period and the position after. */
const summary = (r: ChargeResult & { replayed: boolean }) => ({
  entryId: r.entry.id,
  subscriptionId: r.subscription.id,
  startsAt: r.subscription.startsAt,
  expiresAt: r.subscription.expiresAt,
  priceCharged: r.subscription.priceCharged,
  balanceBefore: r.balanceBefore,
  balanceAfter: r.balanceAfter,
  outstandingBefore: r.outstandingBefore,
  outstandingAfter: r.outstandingAfter,
  replayed: r.replayed,
});
export type ChargeSummary = ReturnType<typeof summary>;

// The reseller id always comes from the session, never from the form.
export const activateAction = guardedAction(
  { role: "reseller", permission: "subscriptions.activate" },
  activateForm,
  async (input, { actor, resellerId }) => summary(await activateSubscription(getDb(), actor, { ...input, resellerId: resellerId! })),
  revalidate,
);

export const renewAction = guardedAction(
  { role: "reseller", permission: "subscriptions.renew" },
  renewForm,
  async (input, { actor, resellerId }) => summary(await renewSubscription(getDb(), actor, { ...input, resellerId: resellerId! })),
  revalidate,
);
