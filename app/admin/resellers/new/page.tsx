import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { installCurrency } from "@/lib/config";
import { allPackages } from "@/lib/packages";
import { allAreas } from "@/lib/areas";
import { requireAdmin } from "@/app/_server/session";
import { CreateResellerForm } from "@/app/admin/resellers/reseller-forms";

export const metadata: Metadata = { title: "New reseller" };

export default async function NewResellerPage() {
  await requireAdmin();
  const [areas, packages] = await Promise.all([allAreas(getDb()), allPackages(getDb())]);
  return (
    <div className="max-w-4xl">
      <PageHeader title="New reseller" description="A reseller (operator) sells your packages to its own customers, within the scope you give it." />
      <Card>
        <CardContent className="pt-5">
          <CreateResellerForm areas={areas} packages={packages} currency={installCurrency()} idempotencyKey={randomUUID()} />
        </CardContent>
      </Card>
    </div>
  );
}
