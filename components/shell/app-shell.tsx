import Link from "next/link";
import type { ReactNode } from "react";
import type { SessionUser } from "@/lib/auth/session-user";
import { formatMoney, outstandingOf } from "@/lib/money";
import { MobileMenu } from "./mobile-menu";
import { NavLinks, type NavItem } from "./nav-links";
import { SignOutButton } from "./sign-out-button";

/** Balance (prepaid) or outstanding against the limit (postpaid): always in the sticky header, on a phone too. */
function ResellerPosition({ reseller }: { reseller: NonNullable<SessionUser["reseller"]> }) {
  if (reseller.type === "prepaid") {
    return (
      <span className="flex min-w-0 flex-col text-xs leading-tight text-slate-600 sm:flex-row sm:items-baseline sm:gap-1 sm:text-sm">
        <span>Balance</span>
        <strong className="text-sm text-slate-900 tabular-nums" data-testid="header-balance">{formatMoney(reseller.balance, reseller.currency)}</strong>
      </span>
    );
  }
  return (
    <span className="flex min-w-0 flex-col text-xs leading-tight text-slate-600 sm:flex-row sm:items-baseline sm:gap-1 sm:text-sm">
      <span>Outstanding</span>
      <span className="whitespace-nowrap">
        <strong className="text-sm text-slate-900 tabular-nums" data-testid="header-outstanding">{formatMoney(outstandingOf(reseller.balance), reseller.currency)}</strong>
        <span className="text-slate-600 tabular-nums"> / {formatMoney(reseller.collectionLimit, reseller.currency)}</span>
      </span>
    </span>
  );
}

/**
 * The signed-in layout: navigation, who is signed in, and (for resellers)
 * where their money stands. On a phone the header sticks to the top with the
 * balance or outstanding and a Menu button at the thumb's right; from `lg` up
 * the menu is a sidebar.
 */
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
  const role = user.role === "admin" ? "Admin" : `Reseller · ${user.reseller?.name ?? ""}`;
  return (
    <div className="min-h-screen lg:grid lg:grid-cols-[15rem_minmax(0,1fr)]">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:m-2 focus:rounded focus:bg-white focus:p-2">
        Skip to content
      </a>
      <aside className="hidden border-r border-slate-200 bg-white lg:block lg:min-h-screen print:hidden">
        <div className="px-4 py-4">
          <Link href={home} className="text-lg font-bold tracking-tight text-brand-700">
            Lastmile
          </Link>
        </div>
        <nav aria-label="Main" className="px-2 pb-6">
          <NavLinks items={nav} home={home} />
        </nav>
      </aside>
      <div className="min-w-0">
        <header className="sticky top-0 z-20 border-b border-slate-200 bg-white print:static print:hidden">
          <div className="flex items-center gap-3 px-4 py-2 sm:px-6 lg:py-3">
            <Link href={home} className="shrink-0 text-lg font-bold tracking-tight text-brand-700 lg:hidden">
              Lastmile
            </Link>
            <div className="hidden min-w-0 text-sm sm:block">
              <span className="font-medium text-slate-900" data-testid="user-name">{user.name}</span>
              <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">{role}</span>
            </div>
            <div className="ml-auto flex min-w-0 items-center gap-3">
              {user.reseller && <ResellerPosition reseller={user.reseller} />}
              <span className="hidden lg:inline-flex">
                <SignOutButton />
              </span>
              <MobileMenu>
                  <p className="px-3 pt-3 text-sm sm:hidden">
                    <span className="font-medium text-slate-900">{user.name}</span>
                    <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">{role}</span>
                  </p>
                  <nav aria-label="Main">
                    <NavLinks items={nav} home={home} />
                  </nav>
                  <div className="mt-2 border-t border-slate-100 px-3 pt-3">
                    <SignOutButton />
                  </div>
              </MobileMenu>
            </div>
          </div>
        </header>
        {demoLogins.length > 0 && (
          <div role="alert" data-testid="demo-logins-banner" className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 sm:px-6 print:hidden">
            Demo logins are active ({demoLogins.join(", ")}): their passwords are published. Change or disable them before real use.
          </div>
        )}
        <main id="main" className="px-4 py-5 sm:px-6 sm:py-6">
          {children}
        </main>
      </div>
    </div>
  );
}
