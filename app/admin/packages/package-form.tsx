"use client";

import Link from "next/link";
import { ActionForm, MoneyField, TextField } from "@/components/forms/action-form";
import type { Package } from "@/db/schema";
import { toDecimalString } from "@/lib/money";
import { createPackageAction, updatePackageAction } from "./actions";

/** Edits `pkg`, or creates a package (with the key the page rendered, so a double submit creates one). */
export function PackageForm({ pkg, currency, idempotencyKey }: { pkg?: Package; currency: string; idempotencyKey?: string }) {
  return (
    <ActionForm
      action={pkg ? updatePackageAction : createPackageAction}
      submitLabel={pkg ? "Save package" : "Create package"}
      idempotencyKey={pkg ? undefined : idempotencyKey}
      resetLabel="Create another"
      success={(r) => (
        <p>
          Saved <strong>{r.name}</strong>. <Link className="underline" href="/admin/packages">Back to packages</Link>
        </p>
      )}
    >
      {pkg && <input type="hidden" name="packageId" value={pkg.id} />}
      <TextField name="name" label="Name" defaultValue={pkg?.name} required />
      <MoneyField name="customerPrice" label="Customer price" currency={currency} defaultValue={pkg ? toDecimalString(pkg.customerPrice, currency) : ""} hint="What the end customer pays. Each reseller's own rate is set on the reseller." />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField name="validityDays" label="Validity (days)" inputMode="numeric" defaultValue={pkg?.validityDays ?? 30} />
        <TextField name="downloadMbps" label="Download (Mbps)" inputMode="numeric" defaultValue={pkg?.downloadMbps} />
        <TextField name="uploadMbps" label="Upload (Mbps)" inputMode="numeric" defaultValue={pkg?.uploadMbps} />
      </div>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-1 text-sm font-medium">Network (RADIUS)</legend>
        <TextField name="framedPool" label="Address pool (Framed-Pool)" defaultValue={pkg?.framedPool ?? ""} hint="The router's IP pool for this package; empty for the router's default." />
        <TextField name="simultaneousUse" label="Sessions at once (Simultaneous-Use)" inputMode="numeric" defaultValue={pkg?.simultaneousUse ?? 1} />
      </fieldset>
      <p className="text-xs text-slate-500">Routers receive the speeds as Mikrotik-Rate-Limit upload/download.</p>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="active" defaultChecked={pkg?.active ?? true} className="h-4 w-4" /> Active (can be sold)
      </label>
    </ActionForm>
  );
}
