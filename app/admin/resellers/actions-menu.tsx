import { MenuButton } from "@/components/ui/menu-button";

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
  return <MenuButton label="Actions" accessibleName={`Actions for ${name}`} items={items} align={align} testId="reseller-actions" />;
}
