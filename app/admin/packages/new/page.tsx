import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { installCurrency } from "@/lib/config";
import { requireAdmin } from "@/app/_server/session";
import { PackageForm } from "@/app/admin/packages/package-form";

export const metadata: Metadata = { title: "New package" };

export default async function NewPackagePage() {
  await requireAdmin();
  return (
    <div className="max-w-2xl">
      <PageHeader title="New package" />
      <Card>
        <CardContent className="pt-5">
          <PackageForm currency={installCurrency()} idempotencyKey={randomUUID()} />
        </CardContent>
      </Card>
    </div>
  );
}
