"use server";

import { getDb } from "@/db/client";
import { activateSubscription, chargeSummary, renewSubscription } from "@/lib/billing";
import { activateForm, renewForm } from "@/lib/billing/forms";
import { guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/portal"] };

// The reseller id always comes from the session, never from the form; the confirm form shows lib's chargeSummary.
export const activateAction = guardedAction(
  { role: "reseller", permission: "subscriptions.activate" },
  activateForm,
  async (input, { actor, resellerId }) => chargeSummary(await activateSubscription(getDb(), actor, { ...input, resellerId: resellerId! })),
  revalidate,
);

export const renewAction = guardedAction(
  { role: "reseller", permission: "subscriptions.renew" },
  renewForm,
  async (input, { actor, resellerId }) => chargeSummary(await renewSubscription(getDb(), actor, { ...input, resellerId: resellerId! })),
  revalidate,
);
