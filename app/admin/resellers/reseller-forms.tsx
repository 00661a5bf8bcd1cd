"use client";

import Link from "next/link";
import { ActionForm, MoneyField, SelectField, TextField } from "@/components/forms/action-form";
import type { Package } from "@/db/schema";
import { formatMoney, toDecimalString } from "@/lib/money";
import { permissionCatalog } from "@/lib/permissions";
import type { ResellerDetail } from "@/lib/resellers";
import { addResellerUserAction, createResellerAction, resellerScopeAction, resellerStatusAction, updateResellerAction } from "./actions";

type Area = { id: string; name: string };

function ProfileFields({ reseller }: { reseller?: ResellerDetail }) {
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <TextField name="name" label="Reseller name" defaultValue={reseller?.name} required />
      <TextField name="contactName" label="Contact person" defaultValue={reseller?.contactName ?? ""} />
      <TextField name="phone" label="Phone" defaultValue={reseller?.phone ?? ""} />
      <TextField name="email" label="Contact email" type="email" defaultValue={reseller?.email ?? ""} />
    </div>
  );
}

/** Permissions (checkboxes from the catalog), areas served and packages with the reseller's rate. */
function ScopeFields({ reseller, areas, packages, currency }: { reseller?: ResellerDetail; areas: Area[]; packages: Package[]; currency: string }) {
  const granted = new Set(reseller?.permissions ?? permissionCatalog.map((p) => p.key));
  const served = new Set(reseller?.areas.map((a) => a.id));
  const rates = new Map(reseller?.rates.map((r) => [r.packageId, r.rate]));
  return (
    <div className="space-y-6">
      <fieldset>
        <legend className="mb-2 text-sm font-semibold text-slate-900">Permissions</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {permissionCatalog.map((p) => (
            <label key={p.key} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="permissions[]" value={p.key} defaultChecked={granted.has(p.key)} className="h-4 w-4" />
              {p.label} <span className="text-xs text-slate-500">{p.key}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="mb-2 text-sm font-semibold text-slate-900">Areas served</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {areas.map((a) => (
            <label key={a.id} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="areaIds[]" value={a.id} defaultChecked={served.has(a.id)} className="h-4 w-4" />
              {a.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend className="mb-1 text-sm font-semibold text-slate-900">Packages and rates</legend>
        <p className="mb-2 text-xs text-slate-500">The reseller may sell a package only if it has a rate. Leave empty to keep a package out of scope.</p>
        <div className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {packages.map((p) => (
            <div key={p.id} className="grid grid-cols-[1fr_10rem] items-center gap-3 px-3 py-2">
              <label htmlFor={`field-rate:${p.id}`} className="text-sm">
                {p.name} <span className="text-xs text-slate-500">customer price {formatMoney(p.customerPrice, currency)}{!p.active && " · inactive"}</span>
              </label>
              <MoneyField name={`rate:${p.id}`} label="" currency={currency} defaultValue={rates.has(p.id) ? toDecimalString(rates.get(p.id)!, currency) : ""} aria-label={`Rate for ${p.name}`} />
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function CreateResellerForm({ areas, packages, currency, idempotencyKey }: { areas: Area[]; packages: Package[]; currency: string; idempotencyKey: string }) {
  return (
    <ActionForm
      action={createResellerAction}
      submitLabel="Create reseller"
      idempotencyKey={idempotencyKey}
      resetLabel="Create another"
      success={(r) => (
        <p>
          Created <Link className="font-semibold underline" href={`/admin/resellers/${r.id}`}>{r.name}</Link>.
        </p>
      )}
      className="space-y-8"
    >
      <section className="space-y-4">
        <h2 className="font-semibold">Profile</h2>
        <ProfileFields />
      </section>
      <section className="space-y-4">
        <h2 className="font-semibold">Billing</h2>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField name="type" label="Type" options={[{ value: "prepaid", label: "Prepaid — pays in advance" }, { value: "postpaid", label: "Postpaid — settles later" }]} defaultValue="prepaid" />
          <MoneyField name="collectionLimit" label="Collection limit (postpaid)" currency={currency} hint="The most a postpaid reseller may owe." />
        </div>
      </section>
      <section className="space-y-4">
        <h2 className="font-semibold">Sign-in user</h2>
        <div className="grid gap-4 sm:grid-cols-3">
          <TextField name="userName" label="Name" />
          <TextField name="userEmail" label="Email" type="email" autoComplete="off" />
          <TextField name="password" label="Initial password" type="password" autoComplete="new-password" hint="At least 10 characters." />
        </div>
      </section>
      <ScopeFields areas={areas} packages={packages} currency={currency} />
    </ActionForm>
  );
}

export function EditResellerForm({ reseller }: { reseller: ResellerDetail }) {
  return (
    <ActionForm action={updateResellerAction} submitLabel="Save" success={() => <p>Saved. <Link className="underline" href={`/admin/resellers/${reseller.id}`}>Back to {reseller.name}</Link></p>}>
      <input type="hidden" name="resellerId" value={reseller.id} />
      <ProfileFields reseller={reseller} />
    </ActionForm>
  );
}

export function ScopeForm({ reseller, areas, packages }: { reseller: ResellerDetail; areas: Area[]; packages: Package[] }) {
  return (
    <ActionForm
      action={resellerScopeAction}
      submitLabel="Save permissions & scope"
      success={(r) => (
        <p>
          Saved: {r.permissions} permissions, {r.areas} areas, {r.packages} packages. <Link className="underline" href={`/admin/resellers/${reseller.id}`}>Back to {reseller.name}</Link>
        </p>
      )}
      className="space-y-6"
    >
      <input type="hidden" name="resellerId" value={reseller.id} />
      <ScopeFields reseller={reseller} areas={areas} packages={packages} currency={reseller.currency} />
    </ActionForm>
  );
}

export function StatusForm({ reseller }: { reseller: ResellerDetail }) {
  const suspend = reseller.status === "active";
  return (
    <ActionForm
      action={resellerStatusAction}
      submitLabel={suspend ? "Suspend reseller" : "Reactivate reseller"}
      success={(r) => <p>{reseller.name} is now {r.status === "active" ? "active" : "suspended"}.</p>}
    >
      <input type="hidden" name="resellerId" value={reseller.id} />
      <input type="hidden" name="status" value={suspend ? "suspended" : "active"} />
      <p className="text-sm text-slate-600">
        {suspend
          ? "A suspended reseller's users are signed out and cannot sign in, and no activations or renewals can be charged. Its balance and history stay as they are."
          : "Reactivating lets the reseller's users sign in and charge again."}
      </p>
    </ActionForm>
  );
}

export function AddUserForm({ resellerId, idempotencyKey }: { resellerId: string; idempotencyKey: string }) {
  return (
    <ActionForm action={addResellerUserAction} submitLabel="Add user" idempotencyKey={idempotencyKey} resetLabel="Add another" success={(r) => <p>Added {r.email}.</p>}>
      <input type="hidden" name="resellerId" value={resellerId} />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField name="userName" label="Name" />
        <TextField name="userEmail" label="Email" type="email" autoComplete="off" />
        <TextField name="password" label="Initial password" type="password" autoComplete="new-password" />
      </div>
    </ActionForm>
  );
}
