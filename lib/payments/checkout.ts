import "server-only";
import { and, eq, isNull, lt } from "drizzle-orm";
import type { Db } from "@/db/client";
import { onlinePayments, resellers, type OnlinePayment } from "@/db/schema";
import { recordAudit } from "@/lib/audit";
import { assertActsFor, type Actor } from "@/lib/billing/actor";
import { assertIdempotencyKey } from "@/lib/billing/idempotency";
import { assertValidAmount } from "@/lib/billing/rules";
import { appBaseUrl } from "@/lib/config";
import { DomainError } from "@/lib/errors";
import { isUuid } from "@/lib/ids";
import { toDecimalString } from "@/lib/money";
import { sandboxGateway, stripeGateway, type Gateway, type GatewayConfig, type GatewaySession } from "./gateway";
import { assertWithinBounds, getPaymentSettings } from "./settings";
import { gatewayActor, outcomeOfSession, setStatus, settleSession, type SessionOutcome, type SettleResult } from "./settle";

/** The gateway for this install's configuration, or null when online payment is off. */
export function gatewayFor(db: Db, config: GatewayConfig, baseUrl: string = appBaseUrl()): Gateway | null {
  if (config.mode === "off") return null;
  if (config.mode === "sandbox") {
    return sandboxGateway(baseUrl, async (sessionId) => {
      const [row] = await db.select().from(onlinePayments).where(eq(onlinePayments.checkoutSessionId, sessionId));
      return row ? { createdAt: row.createdAt, onlinePaymentId: row.id, resellerId: row.resellerId, amount: row.amount, currency: row.currency } : null;
    });
  }
  return stripeGateway(config);
}

/** Whether a reseller can pay online now, and if not, why (for the portal's menu and page). */
export async function onlinePaymentAvailability(db: Db, config: GatewayConfig) {
  const settings = await getPaymentSettings(db);
  if (config.mode === "off") return { available: false as const, reason: config.reason, settings };
  if (!settings.onlineEnabled) return { available: false as const, reason: "The admin has turned online payment off.", settings };
  return { available: true as const, reason: null, settings, mode: config.mode };
}

export type StartInput = { resellerId: string; amount: bigint; idempotencyKey: string; email?: string | null };
export type StartResult = { onlinePaymentId: string; checkoutUrl: string; replayed: boolean };

async function findByKey(db: Db, key: string): Promise<OnlinePayment | undefined> {
  const [row] = await db.select().from(onlinePayments).where(eq(onlinePayments.idempotencyKey, key));
  return row;
}

/**
 * A reseller starts paying the admin: the amount is checked on the server
 * (lib/money, the admin's bounds), a pending row is recorded under the form's
 * key, and the gateway's Checkout Session is created with that key as its
 * idempotency key. The same key again returns the same checkout; the gateway
 * is called outside any database transaction.
 */
export async function startOnlinePayment(db: Db, actor: Actor, gateway: Gateway | null, input: StartInput): Promise<StartResult> {
  assertActsFor(actor, input.resellerId);
  assertValidAmount(input.amount);
  assertIdempotencyKey(input.idempotencyKey);
  const settings = await getPaymentSettings(db);
  if (!gateway || !settings.onlineEnabled) throw new DomainError("ONLINE_PAYMENTS_OFF");
  const [reseller] = await db.select().from(resellers).where(eq(resellers.id, input.resellerId));
  if (!reseller) throw new DomainError("RESELLER_NOT_FOUND");
  assertWithinBounds(input.amount, settings, reseller.currency);

  const [created] = await db
    .insert(onlinePayments)
    .values({
      resellerId: reseller.id,
      amount: input.amount,
      currency: reseller.currency,
      gatewayMode: gateway.mode,
      startedByUserId: actor.userId,
      startedByLabel: actor.label,
      idempotencyKey: input.idempotencyKey,
    })
    .onConflictDoNothing({ target: onlinePayments.idempotencyKey })
    .returning();
  let payment = created;
  if (payment) {
    await recordAudit(db, actor, {
      action: "online_payment.started",
      targetType: "online_payment",
      targetId: payment.id,
      resellerId: reseller.id,
      details: { amount: toDecimalString(payment.amount, payment.currency), mode: gateway.mode },
    });
  } else {
    payment = (await findByKey(db, input.idempotencyKey))!;
    if (payment.resellerId !== input.resellerId || payment.amount !== input.amount) throw new DomainError("IDEMPOTENCY_CONFLICT");
    if (payment.checkoutUrl && payment.status === "pending") return { onlinePaymentId: payment.id, checkoutUrl: payment.checkoutUrl, replayed: true };
    // A start still waiting for the gateway (a double click) asks again under the same key, and the
    // gateway answers with the same session; a start the gateway refused may be tried again.
    if (payment.checkoutSessionId || (payment.status !== "pending" && payment.status !== "failed")) throw new DomainError("PAYMENT_NOT_PENDING");
    if (payment.status === "failed") payment = await startAgain(db, actor, payment.id);
  }
  let session: GatewaySession;
  try {
    session = await gateway.createCheckoutSession({
      onlinePaymentId: payment.id,
      resellerId: reseller.id,
      amount: payment.amount,
      currency: payment.currency,
      description: `Payment from ${reseller.name}`,
      successUrl: `${appBaseUrl()}/portal/pay-online/${payment.id}`,
      cancelUrl: `${appBaseUrl()}/portal/pay-online/${payment.id}?canceled=1`,
      idempotencyKey: payment.gatewayAttempt === 0 ? payment.idempotencyKey : `${payment.idempotencyKey}:retry-${payment.gatewayAttempt}`,
      email: input.email ?? null,
    });
  } catch (error) {
    console.error(`online payment ${payment.id}: the gateway refused or did not answer`, error);
    await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(onlinePayments).where(eq(onlinePayments.id, payment!.id)).for("update");
      // A concurrent start under the same key may have got the session meanwhile: that one stands.
      if (locked!.status !== "pending" || locked!.checkoutSessionId) return;
      await setStatus(tx, actor, locked!, "failed", { reason: "The payment gateway refused or did not answer when the checkout was started.", via: "checkout start" });
    });
    throw new DomainError("GATEWAY_UNAVAILABLE");
  }
  if (!session.url) throw new DomainError("GATEWAY_UNAVAILABLE");
  await db
    .update(onlinePayments)
    .set({ checkoutSessionId: session.id, checkoutUrl: session.url, updatedAt: new Date() })
    .where(and(eq(onlinePayments.id, payment.id), isNull(onlinePayments.checkoutSessionId)));
  // Whichever concurrent start saved its session first stands: every caller is sent to that one.
  const [saved] = await db.select({ checkoutUrl: onlinePayments.checkoutUrl }).from(onlinePayments).where(eq(onlinePayments.id, payment.id));
  return { onlinePaymentId: payment.id, checkoutUrl: saved?.checkoutUrl ?? session.url, replayed: !created };
}

/** Back to pending after a gateway error, as the next attempt (once, however many retries race). */
async function startAgain(db: Db, actor: Actor, paymentId: string): Promise<OnlinePayment> {
  const payment = await db.transaction(async (tx) => {
    const [locked] = await tx.select().from(onlinePayments).where(eq(onlinePayments.id, paymentId)).for("update");
    if (locked!.status !== "failed" || locked!.checkoutSessionId) return locked!;
    const gatewayAttempt = locked!.gatewayAttempt + 1;
    await setStatus(tx, actor, locked!, "pending", { reason: null, settledAt: null, gatewayAttempt, via: "started again after a gateway error" });
    return { ...locked!, status: "pending" as const, reason: null, gatewayAttempt };
  });
  if (payment.status !== "pending" || payment.checkoutSessionId) throw new DomainError("PAYMENT_NOT_PENDING");
  return payment;
}

/** A reseller's own payment, or NOT_FOUND (another reseller's id is simply not there). */
export async function getOwnOnlinePayment(db: Db, resellerId: string, paymentId: string): Promise<OnlinePayment> {
  if (!isUuid(paymentId)) throw new DomainError("PAYMENT_NOT_FOUND");
  const [row] = await db.select().from(onlinePayments).where(and(eq(onlinePayments.id, paymentId), eq(onlinePayments.resellerId, resellerId)));
  if (!row) throw new DomainError("PAYMENT_NOT_FOUND");
  return row;
}

/** Asks the gateway where a pending payment stands and applies it through the one settle command. */
export async function refreshOnlinePayment(db: Db, gateway: Gateway | null, payment: OnlinePayment, via: string): Promise<SettleResult | null> {
  if (!gateway || payment.status !== "pending" || !payment.checkoutSessionId || payment.gatewayMode !== gateway.mode) return null;
  const session = await gateway.retrieveSession(payment.checkoutSessionId);
  return db.transaction((tx) => settleSession(tx, session, outcomeOfSession(session), via));
}

/**
 * The payer gave up. The gateway's session is closed first so it can no longer
 * be paid; if it was paid meanwhile, the payment is settled instead.
 */
export async function cancelOnlinePayment(db: Db, actor: Actor, gateway: Gateway | null, paymentId: string): Promise<{ status: OnlinePayment["status"] }> {
  if (!actor.resellerId) throw new DomainError("FORBIDDEN");
  const payment = await getOwnOnlinePayment(db, actor.resellerId, paymentId);
  if (payment.status !== "pending") throw new DomainError("PAYMENT_NOT_PENDING");
  if (payment.checkoutSessionId && gateway && payment.gatewayMode === gateway.mode) {
    let session: GatewaySession;
    try {
      session = await gateway.expireSession(payment.checkoutSessionId);
    } catch {
      // Stripe refuses to expire a session that is complete: ask where it stands instead.
      session = await gateway.retrieveSession(payment.checkoutSessionId);
    }
    const outcome: SessionOutcome = outcomeOfSession(session);
    if (outcome !== "expired" && outcome !== "open") {
      const settled = await db.transaction((tx) => settleSession(tx, session, outcome, "cancel"));
      return { status: settled.to ?? payment.status };
    }
  }
  return db.transaction(async (tx) => {
    const [locked] = await tx.select().from(onlinePayments).where(eq(onlinePayments.id, payment.id)).for("update");
    if (locked!.status !== "pending") return { status: locked!.status };
    await setStatus(tx, actor, locked!, "canceled", { reason: "Canceled by the payer.", settledAt: new Date(), via: "cancel" });
    return { status: "canceled" as const };
  });
}

export type ReconcileChange = { onlinePaymentId: string; from: string; to: string | null; outcome: string };

/**
 * "Check with gateway": pending payments older than `olderThanMinutes` are
 * looked up at the gateway and settled, failed or expired through the same
 * command as the webhook. A start that never reached the gateway is failed.
 */
export async function reconcilePending(
  db: Db,
  gateway: Gateway,
  options: { olderThanMinutes?: number; limit?: number; onlyId?: string; now?: Date } = {},
): Promise<ReconcileChange[]> {
  const cutoff = new Date((options.now ?? new Date()).getTime() - (options.olderThanMinutes ?? 5) * 60_000);
  const pending = await db
    .select()
    .from(onlinePayments)
    .where(
      and(
        eq(onlinePayments.status, "pending"),
        eq(onlinePayments.gatewayMode, gateway.mode),
        lt(onlinePayments.createdAt, cutoff),
        options.onlyId ? eq(onlinePayments.id, options.onlyId) : undefined,
      ),
    )
    .orderBy(onlinePayments.createdAt)
    .limit(options.limit ?? 500);
  const changes: ReconcileChange[] = [];
  for (const payment of pending) {
    try {
      if (!payment.checkoutSessionId) {
        const to = await db.transaction(async (tx) => {
          const [locked] = await tx.select().from(onlinePayments).where(eq(onlinePayments.id, payment.id)).for("update");
          if (locked!.status !== "pending" || locked!.checkoutSessionId) return null;
          await setStatus(tx, gatewayActor(gateway.mode), locked!, "failed", { reason: "The checkout was never started at the gateway.", settledAt: new Date(), via: "reconcile" });
          return "failed";
        });
        changes.push({ onlinePaymentId: payment.id, from: "pending", to, outcome: to ? "failed: never started" : "no change" });
        continue;
      }
      const settled = await refreshOnlinePayment(db, gateway, payment, "reconcile");
      if (settled) changes.push({ onlinePaymentId: payment.id, from: "pending", to: settled.to, outcome: settled.outcome });
    } catch (error) {
      console.error(`reconcile: online payment ${payment.id} could not be checked`, error);
      changes.push({ onlinePaymentId: payment.id, from: "pending", to: null, outcome: "error: the gateway could not be reached" });
    }
  }
  return changes;
}

/** Pending rows older than this stand out on the admin dashboard. */
export const LONG_PENDING_MINUTES = 60;

export const stalePendingCondition = (now: Date = new Date()) =>
  and(eq(onlinePayments.status, "pending"), lt(onlinePayments.createdAt, new Date(now.getTime() - LONG_PENDING_MINUTES * 60_000)));
