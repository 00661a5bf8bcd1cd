import { z } from "zod";
import { zIdempotencyKey, zMoney } from "@/lib/forms";

/** Portal: start paying the admin; the reseller comes from the session, the bounds are checked by the command. */
export const payOnlineForm = z.object({ amount: zMoney(), idempotencyKey: zIdempotencyKey });

export const onlinePaymentIdForm = z.object({ paymentId: z.string().uuid("That online payment does not exist.") });

/** The sandbox checkout's three buttons. */
export const sandboxChoiceForm = onlinePaymentIdForm.extend({ choice: z.enum(["pay", "pay_async", "fail"]) });

/** Admin: the install-wide switch and the bounds of one payment. */
export const paymentSettingsForm = z.object({
  onlineEnabled: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
  minAmount: zMoney(),
  maxAmount: zMoney(),
});

export const reconcileForm = z.object({ paymentId: z.string().uuid().optional().or(z.literal("").transform(() => undefined)) });
