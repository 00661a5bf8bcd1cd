import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { installCurrency } from "@/lib/config";
import { formatMoney } from "@/lib/money";
import { listSettlements, settlementSearchSchema } from "@/lib/settlements";
import { requireAdmin } from "@/app/_server/session";
import { PaymentsTable } from "./payments-table";

export const metadata: Metadata = { title: "Payments" };

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const search = settlementSearchSchema.parse(await searchParams);
  const page = await listSettlements(getDb(), search);
  return (
    <div>
      <PageHeader
        title="Payments"
        description={
          <>
            Money received from resellers: Add Balance, cash received and online payments. Total for these filters:{" "}
            <strong data-testid="payments-total">{formatMoney(page.totalAmount, installCurrency())}</strong>
          </>
        }
      />
      <TableToolbar list="settlements"
        dateRange
        searchPlaceholder="Search reseller or reference"
        csvHref="/admin/payments/export"
        filters={[
          { name: "kind", label: "Kind", options: [{ value: "balance_added", label: "Add Balance" }, { value: "cash_received", label: "Cash received" }, { value: "online_payment", label: "Online payment" }] },
          { name: "method", label: "Method", options: Object.entries(paymentMethodLabels).map(([value, label]) => ({ value, label })) },
        ]}
      />
      <PaymentsTable rows={page.rows} />
      <Pager list="settlements" pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
