import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { allPackages } from "@/lib/packages";
import { allAreas } from "@/lib/areas";
import { ScopeForm } from "@/app/admin/resellers/reseller-forms";
import { loadReseller } from "@/app/admin/resellers/[id]/load";

export const metadata: Metadata = { title: "Permissions & scope" };

export default async function ScopePage({ params }: { params: Promise<{ id: string }> }) {
  const reseller = await loadReseller(params);
  const [areas, packages] = await Promise.all([allAreas(getDb()), allPackages(getDb())]);
  return (
    <div className="max-w-4xl">
      <PageHeader title={`Permissions & scope · ${reseller.name}`} description="What this reseller may do, where it serves, and what it may sell at which rate." />
      <Card><CardContent className="pt-5"><ScopeForm reseller={reseller} areas={areas} packages={packages} /></CardContent></Card>
    </div>
  );
}
