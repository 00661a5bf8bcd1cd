import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { PositionSummary } from "@/components/ui/position";
import { getDb } from "@/db/client";
import { isDomainError } from "@/lib/errors";
import { getResellerPosition } from "@/lib/resellers";
import { requireAdmin } from "../../../../_server/session";
import { AddBalanceForm } from "../../money-forms";

export const metadata: Metadata = { title: "Add Balance" };

export default async function AddBalancePage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const { id } = await params;
  const reseller = await getResellerPosition(getDb(), id).catch((e) => (isDomainError(e) ? notFound() : Promise.reject(e)));
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
