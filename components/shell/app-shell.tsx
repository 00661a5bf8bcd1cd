import Link from "next/link";
import type { ReactNode } from "react";
import type { SessionUser } from "@/lib/auth/session-user";
import { formatMoney, outstandingOf } from "@/lib/money";
import { NavLinks, type NavItem } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

function ResellerPosition({ reseller }: { reseller: NonNullable<SessionUser["reseller"]> }) {
  if (reseller.type === "prepaid") {
    return (
      <span className="text-sm text-slate-600">
        Balance <strong className="text-slate-900" data-testid="header-balance">{formatMoney(reseller.balance, reseller.currency)}</strong>
      </span>
    );
  }
  return (
    <span className="text-sm text-slate-600">
      Outstanding{" "}
      <strong className="text-slate-900" data-testid="header-outstanding">{formatMoney(outstandingOf(reseller.balance), reseller.currency)}</strong>
      <span className="text-slate-400"> / {formatMoney(reseller.collectionLimit, reseller.currency)}</span>
    </span>
  );
}

/** The signed-in layout: navigation, who is signed in, and (for resellers) where their money stands. */
export function AppShell({
  user,
  nav,
  home,
  demoLogins = [],
  children,
}: {
  user: SessionUser;
  nav: NavItem[];
  home: string;
  /** Published demo logins that still work: a warning until they are changed or disabled. */
  demoLogins?: string[];
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:m-2 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <aside className="border-b border-slate-200 bg-white lg:min-h-screen lg:border-r lg:border-b-0 print:hidden">
        <div className="flex items-center justify-between px-4 py-4">
          <Link href={home} className="text-lg font-bold tracking-tight text-brand-700">
            Lastmile
          </Link>
          <span className="text-xs text-slate-400 lg:hidden">{user.role === "admin" ? "Admin" : "Reseller"}</span>
        </div>
        <details className="group px-2 pb-3 lg:hidden">
          <summary className="cursor-pointer rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">Menu</summary>
          <nav aria-label="Main">
            <NavLinks items={nav} home={home} />
          </nav>
        </details>
        <nav aria-label="Main" className="hidden px-2 pb-6 lg:block">
          <NavLinks items={nav} home={home} />
        </nav>
      </aside>
      <div className="min-w-0">
        <header className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 bg-white px-6 py-3 print:hidden">
          <div className="text-sm">
            <span className="font-medium text-slate-900" data-testid="user-name">{user.name}</span>
            <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-600">
              {user.role === "admin" ? "Admin" : `Reseller · ${user.reseller?.name ?? ""}`}
            </span>
          </div>
          <div className="flex items-center gap-4">
            {user.reseller && <ResellerPosition reseller={user.reseller} />}
            <SignOutButton />
          </div>
        </header>
        {demoLogins.length > 0 && (
          <div role="alert" data-testid="demo-logins-banner" className="border-b border-amber-300 bg-amber-50 px-6 py-2 text-sm text-amber-900 print:hidden">
            Demo logins are active ({demoLogins.join(", ")}): their passwords are published. Change or disable them before real use.
          </div>
        )}
        <main id="main" className="px-6 py-6">
          {children}
        </main>
      </div>
    </div>
  );
}
