import type { Metadata } from "next";
import Link from "next/link";
import { ScrollBox } from "@/components/data-table/data-table";
import { buttonVariants } from "@/components/ui/button";
import { DateText } from "@/components/ui/date-text";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { installCurrency } from "@/lib/config";
import { formatMoney } from "@/lib/money";
import { accountsReceivable } from "@/lib/receivables";
import { requireAdmin } from "@/app/_server/session";

export const metadata: Metadata = { title: "Accounts Receivable" };

const th = "px-3 py-2.5 text-right font-semibold whitespace-nowrap text-slate-600";
const td = "px-3 py-2.5 text-right tabular-nums whitespace-nowrap";

export default async function AccountsReceivablePage() {
  await requireAdmin();
  const { rows, totals } = await accountsReceivable(getDb());
  const currency = installCurrency();
  const money = (v: bigint) => formatMoney(v, currency);
  return (
    <div>
      <PageHeader
        title="Accounts Receivable"
        description="Accounts · every reseller that owes money, aged oldest-charge-first."
        actions={<a href="/admin/accounts/receivable/export" className={buttonVariants({ variant: "secondary" })} download>Export CSV</a>}
      />
      {/* Reseller, outstanding and the cash entry first: on a phone they show before the row scrolls sideways. */}
      <ScrollBox label="Accounts Receivable">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <caption className="sr-only">Accounts Receivable</caption>
          <thead className="bg-slate-50">
            <tr>
              <th scope="col" className="px-3 py-2.5 text-left font-semibold text-slate-600">Reseller</th>
              <th scope="col" className={th}>Outstanding</th>
              <th scope="col" className="px-3 py-2.5"><span className="sr-only">Actions</span></th>
              <th scope="col" className={th}>Limit (used)</th>
              <th scope="col" className={th}>Last payment</th>
              <th scope="col" className={th}>0–30 days</th>
              <th scope="col" className={th}>31–60</th>
              <th scope="col" className={th}>61–90</th>
              <th scope="col" className={th}>90+</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.length === 0 && (
              <tr><td colSpan={9} className="px-4 py-10 text-center text-slate-500">No reseller owes money right now.</td></tr>
            )}
            {rows.map((r) => (
              <tr key={r.resellerId} className="hover:bg-slate-50" data-testid={`receivable-${r.resellerId}`}>
                <th scope="row" className="px-3 py-2.5 text-left font-normal">
                  <Link href={`/admin/resellers/${r.resellerId}`} className="font-medium text-brand-700 hover:underline">{r.name}</Link>
                  {r.status === "suspended" && <span className="ml-1 text-xs text-red-700">suspended</span>}
                </th>
                <td className={`${td} font-semibold`} data-testid="receivable-outstanding">{money(r.outstanding)}</td>
                <td className="px-3 py-2.5 text-right">
                  <Link href={`/admin/resellers/${r.resellerId}/cash-received?from=receivable`} className={buttonVariants({ size: "sm", variant: "secondary", className: "whitespace-nowrap" })}>
                    Entry for Cash Received
                  </Link>
                </td>
                <td className={td}>
                  {money(r.collectionLimit)}
                  <span className={`block text-xs ${r.percentUsed !== null && r.percentUsed >= 80 ? "font-semibold text-red-700" : "text-slate-500"}`} data-testid="receivable-percent-used">
                    {r.percentUsed === null ? "no limit" : `${r.percentUsed}% used`}
                  </span>
                </td>
                <td className={td}><DateText value={r.lastPaymentAt} empty="never" /></td>
                <td className={td}>{money(r.days0to30)}</td>
                <td className={td}>{money(r.days31to60)}</td>
                <td className={td}>{money(r.days61to90)}</td>
                <td className={td}>{money(r.days90plus)}</td>
              </tr>
            ))}
          </tbody>
          {rows.length > 0 && (
            <tfoot className="bg-slate-50 font-semibold">
              <tr>
                <th scope="row" className="px-3 py-2.5 text-left">Total</th>
                <td className={td} data-testid="receivables-total">{money(totals.outstanding)}</td>
                <td />
                <td className={td} colSpan={2} />
                <td className={td}>{money(totals.days0to30)}</td>
                <td className={td}>{money(totals.days31to60)}</td>
                <td className={td}>{money(totals.days61to90)}</td>
                <td className={td}>{money(totals.days90plus)}</td>
              </tr>
            </tfoot>
          )}
        </table>
      </ScrollBox>
    </div>
  );
}
