import type { z } from "zod";
import type { AdminScope, Permission } from "@/lib/permissions";
import * as s from "./schemas";

// Every /api/v1 endpoint, once: its access rule, the zod schemas its route
// validates with and answers in. The route handlers (app/api/v1/**/route.ts)
// take their spec from here and the OpenAPI document (./openapi) is generated
// from it, so the document describes exactly what the handlers check.

/**
 * Who may call: a token of a listed kind holding any one of the listed scopes
 * (an empty list: any token of that kind). A kind not listed is 403.
 */
export type ApiAccess = { reseller?: readonly Permission[]; admin?: readonly AdminScope[] };

export type EndpointSpec = {
  method: "GET" | "POST" | "PATCH";
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  access: ApiAccess;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** POSTs that create or move something: an Idempotency-Key header is required. */
  idempotent?: boolean;
  success: { status: 200 | 201; schema: z.ZodType; description: string };
};

const define = <const T extends Record<string, EndpointSpec>>(specs: T) => specs;

export const endpoints = define({
  me: {
    method: "GET",
    path: "/me",
    operationId: "getMe",
    summary: "The token, its owner and (with finance.view) the reseller's balance, outstanding and collection limit",
    access: { reseller: [], admin: [] },
    success: { status: 200, schema: s.meResponse, description: "Who is calling." },
  },
  listPackages: {
    method: "GET",
    path: "/packages",
    operationId: "listPackages",
    summary: "Active packages in the reseller's scope, with its rate",
    access: { reseller: [] },
    success: { status: 200, schema: s.listOf(s.packageItem, "Package"), description: "Packages, cheapest rate first." },
  },
  listCustomers: {
    method: "GET",
    path: "/customers",
    operationId: "listCustomers",
    summary: "The reseller's customers, newest first, with the customer screen's filters",
    access: { reseller: ["customers.view"] },
    query: s.customerListQuery,
    success: { status: 200, schema: s.listOf(s.customerItem, "Customer"), description: "One page of customers." },
  },
  createCustomer: {
    method: "POST",
    path: "/customers",
    operationId: "createCustomer",
    summary: "Create a customer",
    access: { reseller: ["customers.create"] },
    body: s.createCustomerBody,
    idempotent: true,
    success: { status: 201, schema: s.customerItem, description: "The new customer." },
  },
  getCustomer: {
    method: "GET",
    path: "/customers/{id}",
    operationId: "getCustomer",
    summary: "One customer with its subscriptions and the payments collected from it",
    access: { reseller: ["customers.view"] },
    params: s.idParams,
    success: { status: 200, schema: s.customerDetail, description: "The customer." },
  },
  updateCustomer: {
    method: "PATCH",
    path: "/customers/{id}",
    operationId: "updateCustomer",
    summary: "Edit a customer (only the fields sent change)",
    access: { reseller: ["customers.edit"] },
    params: s.idParams,
    body: s.updateCustomerBody,
    success: { status: 200, schema: s.customerItem, description: "The customer after the edit." },
  },
  suspendCustomer: {
    method: "POST",
    path: "/customers/{id}/suspend",
    operationId: "suspendCustomer",
    summary: "Suspend a customer",
    access: { reseller: ["customers.suspend"] },
    params: s.idParams,
    body: s.statusChangeBody,
    idempotent: true,
    success: { status: 200, schema: s.customerItem, description: "The customer, suspended." },
  },
  reactivateCustomer: {
    method: "POST",
    path: "/customers/{id}/reactivate",
    operationId: "reactivateCustomer",
    summary: "Reactivate a suspended customer",
    access: { reseller: ["customers.suspend"] },
    params: s.idParams,
    body: s.statusChangeBody,
    idempotent: true,
    success: { status: 200, schema: s.customerItem, description: "The customer, active." },
  },
  activate: {
    method: "POST",
    path: "/customers/{id}/activations",
    operationId: "activateSubscription",
    summary: "Activate a package for a customer: charges the reseller its rate (prepaid balance / postpaid limit rules)",
    access: { reseller: ["subscriptions.activate"] },
    params: s.idParams,
    body: s.activationBody,
    idempotent: true,
    success: { status: 201, schema: s.chargeResult, description: "The charge and the new period." },
  },
  renew: {
    method: "POST",
    path: "/subscriptions/{id}/renewals",
    operationId: "renewSubscription",
    summary: "Renew a subscription (optionally onto another package in scope)",
    access: { reseller: ["subscriptions.renew"] },
    params: s.idParams,
    body: s.renewalBody,
    idempotent: true,
    success: { status: 201, schema: s.chargeResult, description: "The charge and the new period." },
  },
  quote: {
    method: "GET",
    path: "/quotes",
    operationId: "getQuote",
    summary: "What activating or renewing would cost and whether the rules allow it now",
    access: { reseller: ["subscriptions.activate", "subscriptions.renew"] },
    query: s.quoteQuery,
    success: { status: 200, schema: s.quoteResponse, description: "The quote." },
  },
  collectPayment: {
    method: "POST",
    path: "/customers/{id}/payments",
    operationId: "collectPayment",
    summary: "Record money collected from a customer (the reseller's cash book; a receipt)",
    access: { reseller: ["payments.collect"] },
    params: s.idParams,
    body: s.collectPaymentBody,
    idempotent: true,
    success: { status: 201, schema: s.receiptItem, description: "The receipt." },
  },
  statement: {
    method: "GET",
    path: "/statement",
    operationId: "getStatement",
    summary: "The reseller's ledger, newest first",
    access: { reseller: ["finance.view"] },
    query: s.statementQuery,
    success: { status: 200, schema: s.statementResponse, description: "One page of the statement." },
  },
  listOnlinePayments: {
    method: "GET",
    path: "/online-payments",
    operationId: "listOnlinePayments",
    summary: "Online payments: a reseller token sees its own, an admin token every reseller's",
    access: { reseller: ["payments.online"], admin: ["online_payments.read"] },
    query: s.onlinePaymentListQuery,
    success: { status: 200, schema: s.listOf(s.onlinePaymentItem, "OnlinePayment"), description: "One page of online payments." },
  },
  startOnlinePayment: {
    method: "POST",
    path: "/online-payments",
    operationId: "startOnlinePayment",
    summary: "Start paying the admin online: returns the checkout URL to open",
    access: { reseller: ["payments.online"] },
    body: s.startOnlinePaymentBody,
    idempotent: true,
    success: { status: 201, schema: s.startedOnlinePayment, description: "The pending payment and its checkout URL." },
  },
  listResellers: {
    method: "GET",
    path: "/resellers",
    operationId: "listResellers",
    summary: "Resellers with their positions",
    access: { admin: ["resellers.read"] },
    query: s.resellerListQuery,
    success: { status: 200, schema: s.listOf(s.resellerItem, "Reseller"), description: "One page of resellers, by name." },
  },
  addBalance: {
    method: "POST",
    path: "/resellers/{id}/balance",
    operationId: "addBalance",
    summary: "Add Balance: credit a reseller for money received",
    access: { admin: ["balance.add"] },
    params: s.idParams,
    body: s.addBalanceBody,
    idempotent: true,
    success: { status: 201, schema: s.postingResult, description: "The entry and the position before and after." },
  },
  cashReceived: {
    method: "POST",
    path: "/resellers/{id}/cash-received",
    operationId: "recordCashReceived",
    summary: "Entry Cash Received: record cash a reseller paid (reduces the outstanding)",
    access: { admin: ["cash.record"] },
    params: s.idParams,
    body: s.cashReceivedBody,
    idempotent: true,
    success: { status: 201, schema: s.postingResult, description: "The entry and the position before and after." },
  },
  receivables: {
    method: "GET",
    path: "/receivables",
    operationId: "getReceivables",
    summary: "Accounts Receivable: what each reseller owes, aged",
    access: { admin: ["receivables.read"] },
    success: { status: 200, schema: s.receivablesResponse, description: "Every reseller that owes money." },
  },
});

export type EndpointName = keyof typeof endpoints;
