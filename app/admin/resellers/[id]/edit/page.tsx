import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { EditResellerForm } from "@/app/admin/resellers/reseller-forms";
import { loadReseller } from "@/app/admin/resellers/[id]/load";

export const metadata: Metadata = { title: "Edit reseller" };

export default async function EditResellerPage({ params }: { params: Promise<{ id: string }> }) {
  const reseller = await loadReseller(params);
  return (
    <div className="max-w-3xl">
      <PageHeader title={`Edit ${reseller.name}`} description="Profile and contact details. Billing terms are under Set collection limit." />
      <Card><CardContent className="pt-5"><EditResellerForm reseller={reseller} /></CardContent></Card>
    </div>
  );
}
