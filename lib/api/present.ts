import type { z } from "zod";
import { installCurrency } from "@/lib/config";
import { toDecimalString } from "@/lib/money";
import type * as s from "./schemas";

// lib results as the API's JSON (./schemas): money as decimal strings in the
// install's currency, instants as ISO strings. Pure.

export const amount = (minor: bigint, currency: string = installCurrency()) => toDecimalString(minor, currency);
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null | undefined) => (d ? d.toISOString() : null);

type CustomerLike = {
  id: string;
  username: string;
  name: string;
  phone: string | null;
  address?: string | null;
  areaId: string;
  areaName: string;
  status: "active" | "suspended";
  expiresAt: Date | null;
  expiry: z.output<typeof s.customerItem>["expiry"];
  createdAt: Date;
};

export function customerJson(c: CustomerLike): z.output<typeof s.customerItem> {
  return {
    id: c.id,
    username: c.username,
    name: c.name,
    phone: c.phone,
    ...(c.address !== undefined ? { address: c.address } : {}),
    areaId: c.areaId,
    areaName: c.areaName,
    status: c.status,
    expiresAt: isoOrNull(c.expiresAt),
    expiry: c.expiry,
    createdAt: iso(c.createdAt),
  };
}

type SubscriptionLike = {
  id: string;
  kind: "activation" | "renewal";
  packageId: string;
  packageName: string;
  startsAt: Date;
  expiresAt: Date;
  priceCharged: bigint;
  customerPrice: bigint;
  reversedAt: Date | null;
  createdAt: Date;
};
export function subscriptionJson(x: SubscriptionLike): z.output<typeof s.subscriptionItem> {
  return {
    id: x.id,
    kind: x.kind,
    packageId: x.packageId,
    packageName: x.packageName,
    startsAt: iso(x.startsAt),
    expiresAt: iso(x.expiresAt),
    priceCharged: amount(x.priceCharged),
    customerPrice: amount(x.customerPrice),
    reversedAt: isoOrNull(x.reversedAt),
    createdAt: iso(x.createdAt),
  };
}

type ReceiptLike = {
  id: string;
  receiptNumber: number;
  customerId: string;
  amount: bigint;
  method: z.output<typeof s.receiptItem>["method"];
  reference: string | null;
  note: string | null;
  createdAt: Date;
};
export function receiptJson(p: ReceiptLike): z.output<typeof s.receiptItem> {
  return {
    id: p.id,
    receiptNumber: p.receiptNumber,
    customerId: p.customerId,
    amount: amount(p.amount),
    currency: installCurrency(),
    method: p.method,
    reference: p.reference,
    note: p.note,
    createdAt: iso(p.createdAt),
  };
}

export function positionJson(p: { type: "prepaid" | "postpaid"; status: "active" | "suspended"; balance: bigint; outstanding: bigint; collectionLimit: bigint; currency: string }) {
  return {
    type: p.type,
    status: p.status,
    balance: amount(p.balance, p.currency),
    outstanding: amount(p.outstanding, p.currency),
    collectionLimit: amount(p.collectionLimit, p.currency),
    currency: p.currency,
  };
}

export function postingJson(resellerId: string, p: { entryId: number; balanceBefore: bigint; balanceAfter: bigint; outstandingBefore: bigint; outstandingAfter: bigint }, currency = installCurrency()) {
  return {
    resellerId,
    entryId: p.entryId,
    balanceBefore: amount(p.balanceBefore, currency),
    balanceAfter: amount(p.balanceAfter, currency),
    outstandingBefore: amount(p.outstandingBefore, currency),
    outstandingAfter: amount(p.outstandingAfter, currency),
    currency,
  };
}

export function chargeJson(c: { subscriptionId: string; entryId: number; startsAt: Date; expiresAt: Date; priceCharged: bigint; balanceBefore: bigint; balanceAfter: bigint; outstandingBefore: bigint; outstandingAfter: bigint }, currency = installCurrency()): z.output<typeof s.chargeResult> {
  return {
    subscriptionId: c.subscriptionId,
    entryId: c.entryId,
    startsAt: iso(c.startsAt),
    expiresAt: iso(c.expiresAt),
    priceCharged: amount(c.priceCharged, currency),
    balanceBefore: amount(c.balanceBefore, currency),
    balanceAfter: amount(c.balanceAfter, currency),
    outstandingBefore: amount(c.outstandingBefore, currency),
    outstandingAfter: amount(c.outstandingAfter, currency),
    currency,
  };
}

export function listJson<T>(data: T[], hasMore: boolean, nextCursor: string | number | null) {
  return { data, has_more: hasMore, next_cursor: nextCursor === null ? null : String(nextCursor) };
}

export { iso, isoOrNull };
