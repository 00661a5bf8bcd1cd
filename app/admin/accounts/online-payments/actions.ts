"use server";

import { getDb } from "@/db/client";
import { DomainError } from "@/lib/errors";
import { reconcilePending } from "@/lib/payments/checkout";
import { paymentSettingsForm, reconcileForm } from "@/lib/payments/forms";
import { updatePaymentSettings } from "@/lib/payments/settings";
import { admin, guardedAction } from "@/app/_server/action";
import { currentGateway } from "@/app/_server/payments";

const revalidate = { revalidate: ["/admin"] };

export const paymentSettingsAction = guardedAction(admin, paymentSettingsForm, (input, { actor }) => updatePaymentSettings(getDb(), actor, input), revalidate);

/** "Check with gateway": one pending payment (by id, whatever its age) or every pending one older than five minutes. */
export const checkWithGatewayAction = guardedAction(
  admin,
  reconcileForm,
  async ({ paymentId }) => {
    const gateway = currentGateway();
    if (!gateway) throw new DomainError("ONLINE_PAYMENTS_OFF", "No payment gateway is configured, so there is nothing to ask.");
    const changes = await reconcilePending(getDb(), gateway, paymentId ? { onlyId: paymentId, olderThanMinutes: 0 } : { olderThanMinutes: 5 });
    return { checked: changes.length, changes: changes.map(({ onlinePaymentId, to, outcome }) => ({ onlinePaymentId, to, outcome })) };
  },
  revalidate,
);
