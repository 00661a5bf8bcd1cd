import Link from "next/link";
import { cn } from "@/components/ui/cn";

/** The Actions menu on every reseller row and on the reseller's page. */
export function ResellerActionsMenu({ resellerId, name, align = "right" }: { resellerId: string; name: string; align?: "left" | "right" }) {
  const base = `/admin/resellers/${resellerId}`;
  const items = [
    { label: "Add Balance", href: `${base}/add-balance` },
    { label: "Entry Cash Received", href: `${base}/cash-received` },
    { label: "Statement", href: `${base}/statement` },
    { label: "Edit", href: `${base}/edit` },
    { label: "Permissions & scope", href: `${base}/scope` },
    { label: "Set collection limit", href: `${base}/limit` },
    { label: "Suspend / reactivate", href: `${base}/status` },
  ];
  return (
    <details className="relative inline-block text-left" data-testid="reseller-actions">
      <summary
        aria-label={`Actions for ${name}`}
        className="inline-flex h-8 cursor-pointer list-none items-center gap-1 rounded-md border border-slate-300 bg-white px-3 text-sm font-medium text-slate-700 hover:bg-slate-100 [&::-webkit-details-marker]:hidden"
      >
        Actions <span aria-hidden>▾</span>
      </summary>
      <ul className={cn("absolute z-20 mt-1 w-56 rounded-md border border-slate-200 bg-white py-1 shadow-lg", align === "right" ? "right-0" : "left-0")}>
        {items.map((item) => (
          <li key={item.label}>
            <Link href={item.href} className="block px-3 py-2 text-sm text-slate-700 hover:bg-slate-100 focus:bg-slate-100">
              {item.label}
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}
