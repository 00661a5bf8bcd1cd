import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { installCurrency } from "@/lib/config";
import { getPackage } from "@/lib/packages";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";
import { PackageForm } from "@/app/admin/packages/package-form";

export const metadata: Metadata = { title: "Edit package" };

export default async function EditPackagePage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const pkg = await orNotFound(getPackage(getDb(), (await params).id));
  return (
    <div className="max-w-2xl">
      <PageHeader title={`Edit ${pkg.name}`} description="Changing the price affects new charges only; past charges keep the price they were made at." />
      <Card>
        <CardContent className="pt-5">
          <PackageForm pkg={pkg} currency={installCurrency()} />
        </CardContent>
      </Card>
    </div>
  );
}
