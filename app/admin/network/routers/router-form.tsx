"use client";

import Link from "next/link";
import { ActionForm, SelectField, TextField } from "@/components/forms/action-form";
import type { RouterRow } from "@/lib/radius/routers";
import { nasTypeLabels, optionsOf } from "@/lib/radius/labels";
import { createRouterAction, updateRouterAction } from "./actions";

type RouterValues = RouterRow;

const typeOptions = optionsOf(nasTypeLabels);

/** Adds a router, or edits `router` (an empty secret keeps the stored one; the stored secret is never shown). */
export function RouterForm({ router }: { router?: RouterValues }) {
  return (
    <ActionForm
      action={router ? updateRouterAction : createRouterAction}
      submitLabel={router ? "Save router" : "Add router"}
      success={(r) => (
        <p>
          Saved <strong>{r.name}</strong>. <Link className="underline" href="/admin/network/routers">Back to routers</Link>
        </p>
      )}
    >
      {router && <input type="hidden" name="routerId" value={router.id} />}
      <TextField name="name" label="Name" defaultValue={router?.name} required />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="address" label="IP address" defaultValue={router?.address} required hint="The address the router sends RADIUS from." />
        <SelectField name="type" label="Type" options={typeOptions} defaultValue={router?.type ?? "mikrotik"} />
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          name="secret"
          label="Shared secret"
          type="password"
          autoComplete="new-password"
          required={!router}
          hint={router ? "Leave empty to keep the current secret." : "At least 12 characters; the same as on the router."}
        />
        <TextField name="coaPort" label="Disconnect/CoA port" inputMode="numeric" defaultValue={router?.coaPort ?? 3799} />
      </div>
      <TextField name="description" label="Description" defaultValue={router?.description ?? ""} />
    </ActionForm>
  );
}
