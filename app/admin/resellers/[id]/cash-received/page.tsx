import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { PositionSummary } from "@/components/ui/position";
import { getDb } from "@/db/client";
import { getResellerPosition } from "@/lib/resellers";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";
import { CashReceivedForm } from "@/app/admin/resellers/money-forms";

export const metadata: Metadata = { title: "Entry Cash Received" };

export default async function CashReceivedPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ from?: string }>;
}) {
  await requireAdmin();
  const { id } = await params;
  const { from } = await searchParams;
  const reseller = await orNotFound(getResellerPosition(getDb(), id));
  const fromReceivables = from === "receivable";
  return (
    <div className="max-w-3xl space-y-6">
      <PageHeader
        title={fromReceivables ? "Entry for Cash Received" : "Entry Cash Received"}
        description={`Record money received from ${reseller.name}. It reduces the outstanding.`}
      />
      <PositionSummary reseller={reseller} />
      <Card>
        <CardContent className="pt-5">
          <CashReceivedForm
            reseller={reseller}
            idempotencyKey={randomUUID()}
            source={fromReceivables ? "accounts_receivable" : "reseller_action"}
            today={new Date().toISOString().slice(0, 10)}
          />
        </CardContent>
      </Card>
    </div>
  );
}
