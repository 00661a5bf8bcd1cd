"use server";

import { getDb } from "@/db/client";
import { appBaseUrl } from "@/lib/config";
import { DomainError } from "@/lib/errors";
import { cancelOnlinePayment, getOwnOnlinePayment, startOnlinePayment } from "@/lib/payments/checkout";
import { onlinePaymentIdForm, payOnlineForm, sandboxChoiceForm } from "@/lib/payments/forms";
import { gatewayConfig } from "@/lib/payments/gateway";
import { deliverSandboxEvents } from "@/lib/payments/sandbox";
import { guardedAction } from "@/app/_server/action";
import { currentGateway } from "@/app/_server/payments";

const access = { role: "reseller", permission: "payments.online" } as const;
const own = (resellerId: string | null) => {
  if (!resellerId) throw new DomainError("FORBIDDEN");
  return resellerId;
};

export const startOnlinePaymentAction = guardedAction(
  access,
  payOnlineForm,
  ({ amount, idempotencyKey }, { actor, user, resellerId }) =>
    startOnlinePayment(getDb(), actor, currentGateway(), { resellerId: own(resellerId), amount, idempotencyKey, email: user.email }),
  { redirectTo: (started) => started.checkoutUrl },
);

export const cancelOnlinePaymentAction = guardedAction(
  access,
  onlinePaymentIdForm,
  async ({ paymentId }, { actor }) => ({ paymentId, ...(await cancelOnlinePayment(getDb(), actor, currentGateway(), paymentId)) }),
  { revalidate: ["/portal"], redirectTo: ({ paymentId }) => `/portal/pay-online/${paymentId}` },
);

/** The sandbox checkout's buttons: signed events to the real webhook route, over HTTP. */
export const sandboxCheckoutAction = guardedAction(
  access,
  sandboxChoiceForm,
  async ({ paymentId, choice }, { resellerId }) => {
    const payment = await getOwnOnlinePayment(getDb(), own(resellerId), paymentId);
    await deliverSandboxEvents(gatewayConfig(), payment, choice, `${appBaseUrl()}/api/payments/stripe/webhook`);
    return { paymentId };
  },
  { revalidate: ["/portal"], redirectTo: ({ paymentId }) => `/portal/pay-online/${paymentId}` },
);
