import "server-only";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { onlinePayments, type OnlinePayment, type OnlinePaymentStatus } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { recordCashReceived } from "@/lib/billing/credits";
import { systemActor, type Actor } from "@/lib/billing/actor";
import { formatMoney } from "@/lib/money";
import { isUuid } from "@/lib/ids";
import type { GatewaySession } from "./gateway";

/**
 * What the gateway says happened to a session:
 * paid → credit once; awaiting → an async method (bank debit) is still on its
 * way; failed → the async payment failed; expired → it can no longer be paid;
 * open → nothing yet.
 */
export type SessionOutcome = "paid" | "awaiting" | "failed" | "expired" | "open";

/** The outcome a retrieved session shows by itself (an async failure is told only by its event). */
export function outcomeOfSession(session: GatewaySession): SessionOutcome {
  if (session.status === "complete") return session.paymentStatus === "paid" ? "paid" : "awaiting";
  if (session.status === "expired") return "expired";
  return "open";
}

export type SettleResult = {
  onlinePaymentId: string | null;
  resellerId: string | null;
  from: OnlinePaymentStatus | null;
  to: OnlinePaymentStatus | null;
  /** In words, for the event log, the reconcile report and the audit. */
  outcome: string;
  ledgerEntryId: number | null;
};

export const gatewayActor = (mode: string): Actor => systemActor(mode === "sandbox" ? "payment gateway (sandbox)" : "payment gateway (Stripe)");

async function lockBySession(tx: Tx, session: GatewaySession): Promise<OnlinePayment | undefined> {
  const [bySession] = await tx.select().from(onlinePayments).where(eq(onlinePayments.checkoutSessionId, session.id)).for("update");
  if (bySession) return bySession;
  // The start command may have stopped between creating the session and saving its id: the metadata names the row.
  if (!session.onlinePaymentId || !isUuid(session.onlinePaymentId)) return undefined;
  const [byId] = await tx.select().from(onlinePayments).where(eq(onlinePayments.id, session.onlinePaymentId)).for("update");
  // Re-read under the lock: a concurrent delivery may have adopted this very session meanwhile.
  return byId && (byId.checkoutSessionId === null || byId.checkoutSessionId === session.id) ? byId : undefined;
}

/** Why the gateway's session cannot be this payment, or null when it matches. */
function mismatch(payment: OnlinePayment, session: GatewaySession): string | null {
  if (session.amountTotal !== null && session.amountTotal !== payment.amount) {
    return `The gateway reports ${session.amountTotal} minor units but ${formatMoney(payment.amount, payment.currency)} was started.`;
  }
  if (session.currency !== null && session.currency !== payment.currency) return `The gateway reports currency ${session.currency}, not ${payment.currency}.`;
  if (session.resellerId !== null && session.resellerId !== payment.resellerId) return "The gateway names another reseller than the one that started this payment.";
  if (session.onlinePaymentId !== null && session.onlinePaymentId !== payment.id) return "The gateway names another online payment for this session.";
  if (session.livemode !== (payment.gatewayMode === "live")) {
    return session.livemode ? "A live-mode event arrived for a test or sandbox payment." : "A test-mode event arrived for a live payment.";
  }
  return null;
}

export async function setStatus(
  tx: Tx,
  actor: Actor,
  payment: OnlinePayment,
  to: OnlinePaymentStatus,
  changes: Partial<typeof onlinePayments.$inferInsert> & { via: string },
): Promise<void> {
  const { via, ...columns } = changes;
  await tx.update(onlinePayments).set({ ...columns, status: to, updatedAt: new Date() }).where(eq(onlinePayments.id, payment.id));
  await recordAudit(tx, actor, {
    action: "online_payment.status",
    targetType: "online_payment",
    targetId: payment.id,
    resellerId: payment.resellerId,
    details: { from: payment.status, to, via, ...(columns.reason ? { reason: columns.reason } : {}), ...(payment.checkoutSessionId ?? columns.checkoutSessionId ? { session: payment.checkoutSessionId ?? columns.checkoutSessionId } : {}) },
  });
}

/**
 * The one command that moves an online payment on the gateway's word, used by
 * the webhook, the return page and reconciliation alike. Inside the caller's
 * transaction it locks the payment row, checks the session against what was
 * started (amount, currency, reseller, mode: a mismatch is flagged, never
 * credited) and posts at most one credit through recordCashReceived with the
 * Checkout Session id as its idempotency key.
 */
export async function settleSession(tx: Tx, session: GatewaySession, outcome: SessionOutcome, via: string): Promise<SettleResult> {
  const payment = await lockBySession(tx, session);
  if (!payment) return { onlinePaymentId: null, resellerId: null, from: null, to: null, outcome: "ignored: no online payment has this session", ledgerEntryId: null };
  const actor = gatewayActor(payment.gatewayMode);
  const result = (to: OnlinePaymentStatus | null, words: string, ledgerEntryId: number | null = payment.ledgerEntryId): SettleResult => ({
    onlinePaymentId: payment.id,
    resellerId: payment.resellerId,
    from: payment.status,
    to,
    outcome: words,
    ledgerEntryId,
  });
  const adopt = payment.checkoutSessionId === null ? { checkoutSessionId: session.id } : {};
  const intent = !payment.paymentIntentId && session.paymentIntentId ? { paymentIntentId: session.paymentIntentId } : {};

  if (outcome === "open") return result(null, "no change: the session is still open");
  if (payment.ledgerEntryId !== null) return result(null, `no change: already credited (entry ${payment.ledgerEntryId})`);
  if (payment.status === "flagged") return result(null, "no change: flagged for the admin");

  const wrong = mismatch(payment, session);
  if (wrong) {
    await setStatus(tx, actor, payment, "flagged", { ...adopt, ...intent, reason: wrong, via });
    return result("flagged", `flagged: ${wrong}`);
  }

  if (outcome === "paid") {
    // Money the gateway took is credited even if the payer had pressed Cancel or the row had expired here.
    const posted = await recordCashReceived(tx, actor, {
      resellerId: payment.resellerId,
      amount: payment.amount,
      method: "card",
      source: "online_payment",
      reference: session.id,
      note: `Online payment started by ${payment.startedByLabel}`,
      paymentReference: session.id,
      idempotencyKey: session.id,
    });
    await setStatus(tx, actor, payment, "paid", { ...adopt, ...intent, ledgerEntryId: posted.entry.id, settledAt: new Date(), reason: null, via });
    return result("paid", `credited: entry ${posted.entry.id}`, posted.entry.id);
  }
  if (payment.status !== "pending") return result(null, `no change: already ${payment.status}`);
  if (outcome === "awaiting") {
    if (adopt.checkoutSessionId || intent.paymentIntentId) await tx.update(onlinePayments).set({ ...adopt, ...intent, updatedAt: new Date() }).where(eq(onlinePayments.id, payment.id));
    return result(null, "no change: the payment is still being processed");
  }
  const reason = outcome === "failed" ? "The payment failed at the gateway." : "The checkout expired without payment.";
  await setStatus(tx, actor, payment, outcome, { ...adopt, ...intent, reason, settledAt: new Date(), via });
  return result(outcome, outcome);
}

/** A refund or dispute at the gateway: the admin decides the correction (a reversal); the payment is flagged. */
export async function flagByPaymentIntent(tx: Tx, paymentIntentId: string, reason: string, via: string): Promise<SettleResult> {
  const [payment] = await tx.select().from(onlinePayments).where(eq(onlinePayments.paymentIntentId, paymentIntentId)).for("update");
  if (!payment) return { onlinePaymentId: null, resellerId: null, from: null, to: null, outcome: "ignored: no online payment has this payment intent", ledgerEntryId: null };
  if (payment.status === "flagged" && payment.reason === reason) {
    return { onlinePaymentId: payment.id, resellerId: payment.resellerId, from: "flagged", to: null, outcome: "no change: already flagged", ledgerEntryId: payment.ledgerEntryId };
  }
  await setStatus(tx, gatewayActor(payment.gatewayMode), payment, "flagged", { reason, via });
  return { onlinePaymentId: payment.id, resellerId: payment.resellerId, from: payment.status, to: "flagged", outcome: `flagged: ${reason}`, ledgerEntryId: payment.ledgerEntryId };
}
