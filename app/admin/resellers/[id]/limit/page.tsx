import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { PositionSummary } from "@/components/ui/position";
import { getDb } from "@/db/client";
import { getResellerPosition } from "@/lib/resellers";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";
import { CollectionLimitForm, ResellerTypeForm } from "@/app/admin/resellers/money-forms";

export const metadata: Metadata = { title: "Set collection limit" };

export default async function CollectionLimitPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const reseller = await orNotFound(getResellerPosition(getDb(), id));
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title="Set collection limit" description={`Billing terms for ${reseller.name}.`} />
      <PositionSummary reseller={reseller} />
      <Card>
        <CardHeader>
          <CardTitle>Collection limit</CardTitle>
        </CardHeader>
        <CardContent>
          <CollectionLimitForm reseller={reseller} idempotencyKey={randomUUID()} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Billing type</CardTitle>
        </CardHeader>
        <CardContent>
          <ResellerTypeForm reseller={reseller} idempotencyKey={randomUUID()} />
        </CardContent>
      </Card>
    </div>
  );
}
