"use client";

import { useActionState, useState } from "react";
import type { Result } from "@/lib/errors";
import { ActionForm, SelectField, TextField } from "@/components/forms/action-form";
import { Button } from "@/components/ui/button";

type Issued = { token: string; name: string; prefix: string };
type Action<T> = (previous: Result<T> | null, formData: FormData) => Promise<Result<T>>;
type Scope = { key: string; label: string };

/** The new token, shown once, with a copy button. */
function ShownOnce({ issued }: { issued: Issued }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-2">
      <p>
        Token <strong>{issued.name}</strong> issued. Copy it now: it is stored only as a hash and cannot be shown again.
      </p>
      <code data-testid="issued-token" className="block rounded border border-emerald-300 bg-white px-2 py-1 font-mono text-xs break-all text-slate-900">
        {issued.token}
      </code>
      <Button
        type="button"
        size="sm"
        variant="secondary"
        onClick={() => {
          void navigator.clipboard?.writeText(issued.token).then(() => setCopied(true));
        }}
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </div>
  );
}

/**
 * Issue a token. `owners` (admin): whose token it is; each owner lists the
 * scopes it may hold. Without owners (portal) the token is the signed-in
 * user's and `scopes` are its reseller's permissions.
 */
export function IssueTokenForm({
  action,
  scopes,
  owners,
  idempotencyKey,
}: {
  action: Action<Issued>;
  scopes: Scope[];
  /** Minted when the page rendered: a double submit issues one token. */
  idempotencyKey: string;
  owners?: { value: string; label: string; scopes: string[] }[];
}) {
  const [owner, setOwner] = useState(owners?.[0]?.value ?? "");
  const allowed = owners ? new Set(owners.find((o) => o.value === owner)?.scopes ?? []) : null;
  const shown = allowed ? scopes.filter((s) => allowed.has(s.key)) : scopes;
  return (
    <ActionForm action={action} idempotencyKey={idempotencyKey} submitLabel="Issue token" pendingLabel="Issuing…" success={(issued) => <ShownOnce issued={issued} />} resetLabel="Issue another">
      {owners && (
        <SelectField name="userId" label="For user" options={owners.map(({ value, label }) => ({ value, label }))} value={owner} onChange={(e) => setOwner(e.target.value)} />
      )}
      <TextField name="name" label="Name" hint="Where it is used, e.g. Counter kiosk 2." maxLength={100} required />
      <fieldset>
        <legend className="mb-1 text-sm font-medium text-slate-700">Scopes</legend>
        <p className="mb-2 text-xs text-slate-500">None ticked: everything this user may do.</p>
        <div className="grid gap-1 sm:grid-cols-2">
          {shown.map((s) => (
            <label key={s.key} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="scopes[]" value={s.key} /> {s.label} <span className="font-mono text-xs text-slate-500">{s.key}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="expiresOn" label="Expires on (optional)" type="date" />
        <TextField name="rateLimit" label="Requests per minute (optional)" inputMode="numeric" hint="Blank: the install's default." />
      </div>
    </ActionForm>
  );
}

export function RevokeTokenButton<T>({ tokenId, name, action }: { tokenId: string; name: string; action: Action<T> }) {
  const [state, formAction, pending] = useActionState(action, null);
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        if (!confirm(`Revoke "${name}"? Programs using it stop working on their next request.`)) e.preventDefault();
      }}
      className="flex items-center gap-2"
    >
      <input type="hidden" name="tokenId" value={tokenId} />
      {state && !state.ok && <span className="text-xs text-red-600">{state.error.message}</span>}
      <Button size="sm" variant="secondary" disabled={pending} aria-label={`Revoke ${name}`}>
        Revoke
      </Button>
    </form>
  );
}
