"use client";

import Link from "next/link";

/**
 * Any page that fails to render: a plain message and the reference Next.js
 * logged the cause under (`digest`); never the error's own text.
 */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-lg px-6 py-16 text-center">
      <h1 className="text-xl font-semibold text-slate-900">Something went wrong</h1>
      <p className="mt-2 text-sm text-slate-600">
        This page could not be shown. Nothing was changed.{error.digest ? ` Reference ${error.digest}.` : ""}
      </p>
      <div className="mt-6 flex justify-center gap-3 text-sm">
        <button type="button" className="rounded-md border border-slate-300 px-3 py-2 hover:bg-slate-100" onClick={reset}>
          Try again
        </button>
        <Link className="rounded-md px-3 py-2 text-brand-700 hover:underline" href="/home">
          Home
        </Link>
      </div>
    </main>
  );
}
