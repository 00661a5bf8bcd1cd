"use client";

import { createContext, startTransition, useActionState, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import type { Result } from "@/lib/errors";
import { Button } from "@/components/ui/button";
import { Input, Label, Select, Textarea } from "@/components/ui/input";

type FormAction<T> = (previous: Result<T> | null, formData: FormData) => Promise<Result<T>>;

const FieldErrors = createContext<Record<string, string>>({});

/**
 * A form bound to a guarded server action. It shows the action's typed
 * result: field messages next to fields, a plain-words banner for refusals,
 * and `success` once it posted. Money forms and creates pass `idempotencyKey`,
 * minted when the page renders: it rides along as a hidden field, so a double
 * click or a retry posts once.
 */
export function ActionForm<T>({
  action,
  submitLabel,
  pendingLabel = "Saving…",
  idempotencyKey,
  success,
  children,
  className,
  resetLabel = "Record another",
  allowAnother = true,
  closed,
}: {
  action: FormAction<T>;
  submitLabel: string;
  pendingLabel?: string;
  idempotencyKey?: string;
  success?: (data: T) => ReactNode;
  children: ReactNode;
  className?: string;
  resetLabel?: string;
  /** Offer a fresh form (with a new key) after success. */
  allowAnother?: boolean;
  /** Shown instead of the form when there is nothing left to submit (e.g. already done); a success still shows first. */
  closed?: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, null);
  const [key, setKey] = useState(idempotencyKey);
  const [dismissed, setDismissed] = useState<Result<T> | null>(null);
  // A second click before React re-renders the disabled button is dropped here; the server's key check is the real guard.
  const inFlight = useRef(false);
  useEffect(() => {
    if (!pending) inFlight.current = false;
  }, [pending]);
  const showSuccess = state?.ok && success && dismissed !== state;
  const successBox = useRef<HTMLDivElement>(null);
  const [announcement, setAnnouncement] = useState("");
  useEffect(() => {
    if (!state) return;
    if (!state.ok) {
      setAnnouncement(state.error.message);
      return;
    }
    // The keyboard lands on the result (the submit button it was on is gone), and the region reads it.
    successBox.current?.focus();
    setAnnouncement(successBox.current?.textContent ?? "Done.");
  }, [state]);

  // One live region that outlives the switch between form and result, so a screen reader hears the
  // outcome (a region inserted together with its text is often not read).
  const live = (
    <p aria-live="polite" aria-atomic="true" className="sr-only" data-testid="form-announcement">
      {announcement}
    </p>
  );

  if (showSuccess && state.ok) {
    return (
      <>
      {live}
      <div className="space-y-4" data-testid="form-success">
        <div ref={successBox} tabIndex={-1} className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-800 focus:outline-2 focus:outline-offset-2 focus:outline-emerald-600">
          {success(state.data)}
        </div>
        {idempotencyKey && allowAnother && (
          <Button
            type="button"
            variant="secondary"
            onClick={() => {
              setKey(crypto.randomUUID());
              setDismissed(state);
            }}
          >
            {resetLabel}
          </Button>
        )}
      </div>
      </>
    );
  }
  if (closed) return <>{live}{closed}</>;
  const error = state && !state.ok ? state.error : null;
  // Submitting by hand (not `<form action>`) keeps what the user typed when the server refuses it;
  // method="post" keeps a submit made before hydration from putting fields (passwords) in the URL.
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    const formData = new FormData(event.currentTarget);
    startTransition(() => formAction(formData));
  };
  return (
    <FieldErrors.Provider value={error?.fields ?? {}}>
      {live}
      <form method="post" onSubmit={submit} className={className ?? "space-y-4"} noValidate>
        {key && <input type="hidden" name="idempotencyKey" value={key} />}
        {error && (
          <p data-testid="form-error" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
            {error.message}
          </p>
        )}
        {children}
        <Button type="submit" disabled={pending} aria-disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </Button>
      </form>
    </FieldErrors.Provider>
  );
}

type FieldProps = { name: string; label: string; hint?: string; children?: ReactNode };

function FieldShell({ name, label, hint, children }: FieldProps) {
  const error = useContext(FieldErrors)[name];
  return (
    <div>
      {label && <Label htmlFor={`field-${name}`}>{label}</Label>}
      {children}
      {hint && !error && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
      {error && (
        <p id={`field-${name}-error`} className="mt-1 text-sm text-red-600" data-testid={`error-${name}`}>
          {error}
        </p>
      )}
    </div>
  );
}

function useFieldAria(name: string) {
  const error = useContext(FieldErrors)[name];
  return { id: `field-${name}`, name, "aria-invalid": error ? true : undefined, "aria-describedby": error ? `field-${name}-error` : undefined };
}

export function TextField({ name, label, hint, ...input }: FieldProps & React.InputHTMLAttributes<HTMLInputElement>) {
  const aria = useFieldAria(name);
  return (
    <FieldShell name={name} label={label} hint={hint}>
      <Input {...aria} {...input} />
    </FieldShell>
  );
}

/** An amount typed in major units ("1,250.50"); the server parses it strictly. */
export function MoneyField({ name, label, hint, currency, ...input }: FieldProps & { currency: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const aria = useFieldAria(name);
  return (
    <FieldShell name={name} label={label && `${label} (${currency})`} hint={hint}>
      <Input {...aria} inputMode="decimal" autoComplete="off" placeholder="0.00" {...input} />
    </FieldShell>
  );
}

export function SelectField({
  name,
  label,
  hint,
  options,
  ...select
}: FieldProps & { options: { value: string; label: string }[] } & React.SelectHTMLAttributes<HTMLSelectElement>) {
  const aria = useFieldAria(name);
  return (
    <FieldShell name={name} label={label} hint={hint}>
      <Select {...aria} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </FieldShell>
  );
}

export function TextAreaField({ name, label, hint, ...area }: FieldProps & React.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const aria = useFieldAria(name);
  return (
    <FieldShell name={name} label={label} hint={hint}>
      <Textarea {...aria} {...area} />
    </FieldShell>
  );
}
