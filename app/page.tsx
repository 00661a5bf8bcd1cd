import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

const features = [
  { title: "Prepaid and postpaid resellers", text: "Add balance, record cash received, and enforce zero-balance and collection-limit rules in the database." },
  { title: "An append-only ledger", text: "Every charge and credit is a signed entry in integer minor units, balanced in a double-entry journal." },
  { title: "Scope the admin controls", text: "Each reseller sells only its packages, at its rate, to its customers, with the permissions it is given." },
];

export default function HomePage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-5xl flex-col px-6 py-10">
      <header className="flex items-center justify-between">
        <span className="text-xl font-bold tracking-tight text-brand-700">Lastmile</span>
        <Link href="/login" className={buttonVariants({ variant: "secondary", size: "sm" })}>
          Sign in
        </Link>
      </header>
      <section className="mt-20 max-w-2xl">
        <h1 className="text-4xl font-bold tracking-tight text-slate-900">Billing for ISPs that sell through resellers</h1>
        <p className="mt-4 text-lg text-slate-600">
          Lastmile runs the money between an internet service provider and its resellers (operators): packages and
          prices, prepaid balances and postpaid collection limits, activations and renewals, statements and accounts
          receivable. Not a cent lost or doubled.
        </p>
        <Link href="/login" className={buttonVariants({ size: "lg", className: "mt-8" })}>
          Sign in to Lastmile
        </Link>
      </section>
      <section className="mt-16 grid gap-4 sm:grid-cols-3">
        {features.map((f) => (
          <div key={f.title} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
            <h2 className="font-semibold text-slate-900">{f.title}</h2>
            <p className="mt-2 text-sm text-slate-600">{f.text}</p>
          </div>
        ))}
      </section>
    </main>
  );
}
