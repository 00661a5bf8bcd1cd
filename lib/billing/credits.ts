import "server-only";
import type { Db, Tx } from "@/db/client";
import type { CashSource, PaymentMethod } from "@/db/schema";
import { isUniqueViolation } from "@/lib/db-errors";
import { DomainError } from "@/lib/errors";
import { assertAdmin, type Actor } from "./actor";
import { runMoneyCommand } from "./idempotency";
import { post } from "./posting";
import { assertValidAmount } from "./rules";

export type AddBalanceInput = {
  resellerId: string;
  amount: bigint;
  method: PaymentMethod;
  reference?: string | null;
  note?: string | null;
  idempotencyKey: string;
};

/** Admin credits a reseller ("Add Balance"). */
export async function addBalance(db: Db, actor: Actor, input: AddBalanceInput) {
  assertAdmin(actor);
  assertValidAmount(input.amount);
  const { idempotencyKey, ...payload } = input;
  return runMoneyCommand(db, { key: idempotencyKey, command: "addBalance", payload, resellerId: input.resellerId }, (tx, reseller) =>
    post(
      tx,
      actor,
      reseller,
      {
        kind: "balance_added",
        amount: input.amount,
        method: input.method,
        externalReference: input.reference ?? null,
        note: input.note ?? null,
        idempotencyKey,
        counterAccount: "cash",
      },
      "billing.add_balance",
    ),
  );
}

export type CashReceivedInput = {
  resellerId: string;
  amount: bigint;
  method: PaymentMethod;
  source: CashSource;
  reference?: string | null;
  /** ISO date the money arrived (defaults to today). */
  receivedOn?: string | null;
  note?: string | null;
  /** For online payments: the gateway payment this settles (one credit per payment). */
  paymentReference?: string | null;
  idempotencyKey: string;
};

/** Admin records money received from a reseller ("Entry Cash Received"); reduces the outstanding. */
export async function recordCashReceived(db: Db | Tx, actor: Actor, input: CashReceivedInput) {
  assertAdmin(actor);
  assertValidAmount(input.amount);
  const online = input.source === "online_payment";
  const { idempotencyKey, ...payload } = input;
  const credit = runMoneyCommand(db, { key: idempotencyKey, command: "recordCashReceived", payload, resellerId: input.resellerId }, (tx, reseller) =>
    post(
      tx,
      actor,
      reseller,
      {
        kind: online ? "online_payment" : "cash_received",
        amount: input.amount,
        method: input.method,
        source: input.source,
        externalReference: input.reference ?? null,
        receivedOn: input.receivedOn ?? new Date().toISOString().slice(0, 10),
        note: input.note ?? null,
        paymentReference: input.paymentReference ?? null,
        idempotencyKey,
        counterAccount: online ? "gateway_clearing" : "cash",
      },
      online ? "billing.online_payment" : "billing.cash_received",
    ),
  );
  return credit.catch((error: unknown) => {
    // Another key already settled this gateway payment: it is credited once.
    if (isUniqueViolation(error, "ledger_entries_one_credit_per_payment")) throw new DomainError("PAYMENT_ALREADY_SETTLED");
    throw error;
  });
}
