import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { StatusForm } from "@/app/admin/resellers/reseller-forms";
import { loadReseller } from "@/app/admin/resellers/[id]/load";

export const metadata: Metadata = { title: "Suspend / reactivate" };

export default async function StatusPage({ params }: { params: Promise<{ id: string }> }) {
  const reseller = await loadReseller(params);
  return (
    <div className="max-w-2xl">
      <PageHeader title={reseller.status === "active" ? `Suspend ${reseller.name}` : `Reactivate ${reseller.name}`} />
      <Card><CardContent className="pt-5"><StatusForm reseller={reseller} /></CardContent></Card>
    </div>
  );
}
