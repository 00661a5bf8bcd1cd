import type { ResellerPosition } from "@/lib/resellers";
import { formatMoney } from "@/lib/money";

/** Balance, outstanding and limit of a reseller at a glance. */
export function PositionSummary({ reseller }: { reseller: ResellerPosition }) {
  const money = (v: bigint) => formatMoney(v, reseller.currency);
  const items = [
    { label: "Type", value: reseller.type === "prepaid" ? "Prepaid" : "Postpaid" },
    { label: "Balance", value: money(reseller.balance), testId: "position-balance" },
    { label: "Outstanding", value: money(reseller.outstanding), testId: "position-outstanding" },
    ...(reseller.type === "postpaid" ? [{ label: "Collection limit", value: money(reseller.collectionLimit) }] : []),
    { label: "Status", value: reseller.status === "active" ? "Active" : "Suspended" },
  ];
  return (
    <dl className="grid grid-cols-2 gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-5">
      {items.map((item) => (
        <div key={item.label}>
          <dt className="text-xs font-medium text-slate-500 uppercase">{item.label}</dt>
          <dd className="mt-1 text-base font-semibold text-slate-900 tabular-nums" data-testid={item.testId}>
            {item.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
