import type { Metadata } from "next";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { ListCard } from "@/components/ui/list-card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { paymentMethodLabels } from "@/lib/vocabulary";
import { formatMoney } from "@/lib/money";
import { listCollections, parseCollectionSearch } from "@/lib/portal/payments";
import { requireReseller } from "@/app/_server/session";
import { CollectionsTable } from "./collections-table";

export const metadata: Metadata = { title: "Collections" };

export default async function CollectionsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireReseller("payments.collect");
  const search = parseCollectionSearch(await searchParams);
  const page = await listCollections(getDb(), user.resellerId, search);
  const money = (v: bigint) => formatMoney(v, user.reseller!.currency);
  return (
    <div className="space-y-6">
      <PageHeader title="Collections" description={<>Payments you collected from your customers. Total for these filters: <strong data-testid="collections-total">{money(page.totalAmount)}</strong></>} />
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
        <div className="min-w-0">
          <TableToolbar list="collections"
        dateRange
            searchPlaceholder="Customer, reference or receipt number"
            csvHref="/portal/collections/export"
            filters={[{ name: "method", label: "Method", options: Object.entries(paymentMethodLabels).map(([value, label]) => ({ value, label })) }]}
          />
          <CollectionsTable rows={page.rows} currency={user.reseller!.currency} />
          <Pager list="collections" pageCount={page.pageCount} total={page.total} />
        </div>
        <ListCard className="self-start" title="Totals per day" items={page.days.slice(0, 31)} empty="Nothing collected yet.">
          {(d) => (
            <li key={d.day} className="flex justify-between py-1.5">
              <span>{d.day} <span className="text-xs text-slate-500">· {d.payments}</span></span>
              <span className="tabular-nums">{money(d.amount)}</span>
            </li>
          )}
        </ListCard>
      </div>
    </div>
  );
}
