import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { paymentSettings } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { assertAdmin, type Actor } from "@/lib/billing/actor";
import { installCurrency } from "@/lib/config";
import { DomainError } from "@/lib/errors";
import { currencyExponent, formatMoney, toDecimalString } from "@/lib/money";
import { GATEWAY_MAX_MINOR_UNITS } from "./gateway";
import { retriedTransaction } from "@/lib/db-retry";

export type PaymentSettings = { onlineEnabled: boolean; minAmount: bigint; maxAmount: bigint };

/** Defaults: 1.00 and 100,000.00 in the install's currency (1 and 100,000 for a currency without decimals). */
export function defaultBounds(currency: string = installCurrency()) {
  const unit = 10n ** BigInt(currencyExponent(currency));
  return { minAmount: unit, maxAmount: 100_000n * unit };
}

export async function getPaymentSettings(db: Queryable, currency: string = installCurrency()): Promise<PaymentSettings> {
  const [row] = await db.select().from(paymentSettings).where(eq(paymentSettings.id, true));
  const defaults = defaultBounds(currency);
  return {
    onlineEnabled: row?.onlineEnabled ?? true,
    minAmount: row?.minAmount ?? defaults.minAmount,
    maxAmount: row?.maxAmount ?? defaults.maxAmount,
  };
}

/** The amount a reseller may pay in one online payment, or a field message saying why not. */
export function assertWithinBounds(amount: bigint, settings: PaymentSettings, currency: string): void {
  if (amount < settings.minAmount || amount > settings.maxAmount) {
    const message = `Pay between ${formatMoney(settings.minAmount, currency)} and ${formatMoney(settings.maxAmount, currency)} at a time.`;
    throw new DomainError("INVALID_AMOUNT", message, { amount: message });
  }
}

export async function updatePaymentSettings(db: Queryable, actor: Actor, input: PaymentSettings): Promise<PaymentSettings> {
  assertAdmin(actor);
  const currency = installCurrency();
  if (input.maxAmount > GATEWAY_MAX_MINOR_UNITS) {
    const message = `The gateway accepts at most ${formatMoney(GATEWAY_MAX_MINOR_UNITS, currency)} in one payment.`;
    throw new DomainError("INVALID_AMOUNT", message, { maxAmount: message });
  }
  if (input.minAmount > input.maxAmount) {
    const message = "The minimum cannot be above the maximum.";
    throw new DomainError("VALIDATION_FAILED", message, { minAmount: message });
  }
  const values = { onlineEnabled: input.onlineEnabled, minAmount: input.minAmount, maxAmount: input.maxAmount, updatedAt: new Date(), updatedByUserId: actor.userId };
  return retriedTransaction(db, async (tx) => {
    await tx.insert(paymentSettings).values({ id: true, ...values }).onConflictDoUpdate({ target: paymentSettings.id, set: values });
    await recordAudit(tx, actor, {
      action: "payments.settings",
      targetType: "payment_settings",
      details: { onlineEnabled: input.onlineEnabled, minAmount: toDecimalString(input.minAmount, currency), maxAmount: toDecimalString(input.maxAmount, currency) },
    });
    return input;
  });
}

