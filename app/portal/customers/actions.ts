"use server";

import { after } from "next/server";
import { getDb } from "@/db/client";
import { collectCustomerPayment, collectPaymentForm } from "@/lib/portal/payments";
import {
  createCustomer,
  createCustomerForm,
  customerStatusForm,
  resetServicePassword,
  servicePasswordResetForm,
  setCustomerStatus,
  updateCustomer,
  updateCustomerForm,
} from "@/lib/portal/customer-commands";
import { drainDisconnects } from "@/lib/radius/disconnects";
import { guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/portal"] };

// The reseller id always comes from the session, never from the form.
export const createCustomerAction = guardedAction({ role: "reseller", permission: "customers.create" }, createCustomerForm, async (input, { actor, resellerId }) => {
  const customer = await createCustomer(getDb(), actor, { ...input, resellerId: resellerId! });
  return { id: customer.id, username: customer.username, replayed: customer.replayed };
}, revalidate);

export const updateCustomerAction = guardedAction({ role: "reseller", permission: "customers.edit" }, updateCustomerForm, async (input, { actor, resellerId }) => {
  const customer = await updateCustomer(getDb(), actor, { ...input, resellerId: resellerId! });
  return { id: customer.id, username: customer.username };
}, revalidate);

export const customerStatusAction = guardedAction({ role: "reseller", permission: "customers.suspend" }, customerStatusForm, async (input, { actor, resellerId }) => {
  const customer = await setCustomerStatus(getDb(), actor, { ...input, resellerId: resellerId! });
  // After the response (the command has committed): send the Disconnect-Requests it queued now rather than at the next timer round.
  if (customer.changed) after(() => drainDisconnects(getDb()).then(() => undefined, (error) => console.error("RADIUS disconnects after suspend failed:", error)));
  return { id: customer.id, status: customer.status };
}, revalidate);

export const resetServicePasswordAction = guardedAction({ role: "reseller", permission: "customers.edit" }, servicePasswordResetForm, async (input, { actor, resellerId }) => {
  const { servicePassword } = await resetServicePassword(getDb(), actor, { ...input, resellerId: resellerId! });
  return { servicePassword };
}, revalidate);

export const collectPaymentAction = guardedAction({ role: "reseller", permission: "payments.collect" }, collectPaymentForm, async (input, { actor, resellerId }) => {
  const { payment, replayed } = await collectCustomerPayment(getDb(), actor, { ...input, resellerId: resellerId! });
  return { id: payment.id, receiptNumber: payment.receiptNumber, amount: payment.amount, replayed };
}, revalidate);
