"use client";

import Link from "next/link";
import { ActionForm, MoneyField, SelectField, TextAreaField, TextField } from "@/components/forms/action-form";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import { collectPaymentAction, createCustomerAction, customerStatusAction, resetServicePasswordAction, updateCustomerAction } from "./actions";

type Area = { id: string; name: string };
type CustomerValues = { id: string; username: string; name: string; phone: string | null; address: string | null; areaId: string };

function CustomerFields({ areas, customer }: { areas: Area[]; customer?: CustomerValues }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField name="username" label="Username" defaultValue={customer?.username} autoComplete="off" hint="Unique across the network; used to sign the customer in." />
      <TextField name="name" label="Full name" defaultValue={customer?.name} />
      <TextField name="phone" label="Phone" type="tel" defaultValue={customer?.phone ?? ""} />
      <SelectField name="areaId" label="Area" defaultValue={customer?.areaId ?? areas[0]?.id} options={areas.map((a) => ({ value: a.id, label: a.name }))} />
      <div className="sm:col-span-2">
        <TextAreaField name="address" label="Address" defaultValue={customer?.address ?? ""} />
      </div>
    </div>
  );
}

export function NewCustomerForm({ areas, idempotencyKey }: { areas: Area[]; idempotencyKey: string }) {
  return (
    <ActionForm
      action={createCustomerAction}
      submitLabel="Create customer"
      idempotencyKey={idempotencyKey}
      success={(r) => (
        <p>
          Created <Link className="font-semibold underline" href={`/portal/customers/${r.id}`}>{r.username}</Link>.
        </p>
      )}
      resetLabel="Create another"
    >
      <CustomerFields areas={areas} />
    </ActionForm>
  );
}

export function EditCustomerForm({ areas, customer }: { areas: Area[]; customer: CustomerValues }) {
  return (
    <ActionForm action={updateCustomerAction} submitLabel="Save customer" success={(r) => <p>Saved. <Link className="underline" href={`/portal/customers/${r.id}`}>Back to {r.username}</Link></p>}>
      <input type="hidden" name="customerId" value={customer.id} />
      <CustomerFields areas={areas} customer={customer} />
    </ActionForm>
  );
}

export function ServicePasswordResetForm({ customerId }: { customerId: string }) {
  return (
    <ActionForm
      action={resetServicePasswordAction}
      submitLabel="Reset service password"
      pendingLabel="Resetting…"
      allowAnother={false}
      success={(r) => (
        <p>
          New service password: <code className="font-mono font-semibold" data-testid="new-service-password">{r.servicePassword}</code>. The old one stops working at the customer&apos;s next log-in.
        </p>
      )}
    >
      <input type="hidden" name="customerId" value={customerId} />
    </ActionForm>
  );
}

export function CustomerStatusForm({ customerId, status }: { customerId: string; status: "active" | "suspended" }) {
  const suspend = status === "active";
  return (
    <ActionForm action={customerStatusAction} submitLabel={suspend ? "Suspend customer" : "Reactivate customer"} success={(r) => <p>The customer is now {r.status}.</p>}>
      <input type="hidden" name="customerId" value={customerId} />
      <input type="hidden" name="status" value={suspend ? "suspended" : "active"} />
      {suspend && <TextField name="reason" label="Reason (optional)" />}
    </ActionForm>
  );
}

const methods = Object.entries(paymentMethodLabels).map(([value, label]) => ({ value, label }));

export function CollectPaymentForm({ customerId, currency, idempotencyKey }: { customerId: string; currency: string; idempotencyKey: string }) {
  return (
    <ActionForm
      action={collectPaymentAction}
      submitLabel="Record payment"
      pendingLabel="Recording…"
      idempotencyKey={idempotencyKey}
      success={(r) => (
        <p>
          {r.replayed ? "Already recorded" : "Recorded"} {formatMoney(r.amount, currency)}.{" "}
          <Link className="font-semibold underline" href={`/portal/receipts/${r.id}`}>Open receipt</Link>
        </p>
      )}
    >
      <input type="hidden" name="customerId" value={customerId} />
      <MoneyField name="amount" label="Amount" currency={currency} />
      <SelectField name="method" label="Method" options={methods} defaultValue="cash" />
      <TextField name="reference" label="Reference" hint="Transaction or slip number (optional)" />
      <TextAreaField name="note" label="Note" />
    </ActionForm>
  );
}
