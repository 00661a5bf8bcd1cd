"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/components/ui/cn";

export type NavItem = { label: string; href?: string; disabled?: boolean; children?: NavItem[] };

function isActive(pathname: string, href: string, exact: boolean) {
  return exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
}

export function NavLinks({ items, home }: { items: NavItem[]; home: string }) {
  const pathname = usePathname();
  const render = (item: NavItem, depth = 0) => {
    if (item.children) {
      return (
        <li key={item.label}>
          <span className="block px-3 pt-3 pb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{item.label}</span>
          <ul>{item.children.map((child) => render(child, depth + 1))}</ul>
        </li>
      );
    }
    if (item.disabled || !item.href) {
      return (
        <li key={item.label}>
          <span aria-disabled="true" title="Your account does not have this permission" className="block cursor-not-allowed rounded-md px-3 py-2 text-sm text-slate-500">
            {item.label}
          </span>
        </li>
      );
    }
    const active = isActive(pathname, item.href, item.href === home);
    return (
      <li key={item.label}>
        <Link
          href={item.href}
          aria-current={active ? "page" : undefined}
          className={cn(
            "block rounded-md px-3 py-2 text-sm font-medium",
            depth > 0 && "pl-5",
            active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100",
          )}
        >
          {item.label}
        </Link>
      </li>
    );
  };
  return <ul className="space-y-0.5">{items.map((item) => render(item))}</ul>;
}
