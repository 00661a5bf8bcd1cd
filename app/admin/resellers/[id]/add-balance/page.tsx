import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { PositionSummary } from "@/components/ui/position";
import { getDb } from "@/db/client";
import { getResellerPosition } from "@/lib/resellers";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";
import { AddBalanceForm } from "@/app/admin/resellers/money-forms";

export const metadata: Metadata = { title: "Add Balance" };

export default async function AddBalancePage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const reseller = await orNotFound(getResellerPosition(getDb(), id));
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader title="Add Balance" description={`Credit ${reseller.name}'s account.`} />
      <PositionSummary reseller={reseller} />
      <Card>
        <CardContent className="pt-5">
          <AddBalanceForm reseller={reseller} idempotencyKey={randomUUID()} />
        </CardContent>
      </Card>
    </div>
  );
}
