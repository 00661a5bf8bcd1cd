"use client";

import Link from "next/link";
import type { Result } from "@/lib/errors";
import { CheckWithGatewayButton } from "./check-with-gateway";
import { columnHelper, DataTable } from "@/components/data-table/data-table";
import { DateText } from "@/components/ui/date-text";
import { formatMoney } from "@/lib/money";
import { onlinePaymentStatusLabels, onlinePaymentStatusTone, type OnlinePaymentStatusName } from "@/lib/payments/labels";

/** One row of the online payments list, as both the admin and the portal show it. */
export type OnlinePaymentListRow = {
  id: string;
  createdAt: Date;
  settledAt: Date | null;
  status: OnlinePaymentStatusName;
  amount: bigint;
  currency: string;
  checkoutSessionId: string | null;
  ledgerEntryId: number | null;
  reason: string | null;
  startedBy: string;
  resellerId: string;
  resellerName: string;
};

export function OnlinePaymentStatusBadge({ status }: { status: OnlinePaymentStatusName }) {
  return (
    <span className={`inline-flex rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${onlinePaymentStatusTone[status]}`} data-testid="online-payment-status">
      {onlinePaymentStatusLabels[status]}
    </span>
  );
}

const helper = columnHelper<OnlinePaymentListRow>();

export type CheckOutcome = { checked: number; changes: { onlinePaymentId: string; to: string | null; outcome: string }[] };

/**
 * `audience` "admin" adds the reseller, the ledger entry and, on payments
 * pending longer than `checkAfterMinutes`, "Check with gateway" (`checkAction`);
 * "portal" links each row to its own status page.
 */
export function OnlinePaymentsTable({
  rows,
  audience,
  checkAction,
  checkAfterMinutes = 5,
}: {
  rows: OnlinePaymentListRow[];
  audience: "admin" | "portal";
  checkAction?: (previous: Result<CheckOutcome> | null, formData: FormData) => Promise<Result<CheckOutcome>>;
  checkAfterMinutes?: number;
}) {
  const admin = audience === "admin";
  const columns = [
    helper.accessor("createdAt", {
      id: "createdAt",
      header: "Started",
      cell: (c) => (admin ? <DateText value={c.getValue()} format="dateTime" /> : <Link className="text-brand-700 hover:underline" href={`/portal/pay-online/${c.row.original.id}`}><DateText value={c.getValue()} format="dateTime" /></Link>),
    }),
    ...(admin
      ? [
          helper.accessor("resellerName", {
            id: "reseller",
            header: "Reseller",
            cell: (c) => <Link className="font-medium text-brand-700 hover:underline" href={`/admin/resellers/${c.row.original.resellerId}`}>{c.getValue()}</Link>,
          }),
        ]
      : []),
    helper.accessor("amount", { id: "amount", header: "Amount", meta: { align: "right" }, cell: (c) => formatMoney(c.getValue(), c.row.original.currency) }),
    helper.accessor("status", {
      id: "status",
      header: "Status",
      cell: (c) => (
        <span className="flex flex-col gap-0.5">
          <OnlinePaymentStatusBadge status={c.getValue()} />
          {c.row.original.reason && (c.getValue() === "flagged" || c.getValue() === "failed") && (
            <span className="block max-w-56 truncate text-xs text-slate-500" title={c.row.original.reason}>{c.row.original.reason}</span>
          )}
        </span>
      ),
    }),
    helper.accessor("settledAt", { header: "Settled", enableSorting: false, cell: (c) => <DateText value={c.getValue()} format="dateTime" /> }),
    ...(admin
      ? [
          helper.accessor("checkoutSessionId", {
            header: "Checkout session",
            enableSorting: false,
            cell: (c) => <span className="block max-w-40 truncate font-mono text-xs" title={c.getValue() ?? undefined}>{c.getValue() ?? "—"}</span>,
          }),
          helper.accessor("ledgerEntryId", {
            header: "Entry",
            enableSorting: false,
            cell: (c) => (c.getValue() ? <Link className="text-brand-700 hover:underline" href={`/admin/resellers/${c.row.original.resellerId}/statement`}>#{c.getValue()}</Link> : "—"),
          }),
          helper.accessor("startedBy", { header: "Started by", enableSorting: false }),
          helper.display({ id: "action", // `relative` keeps the absolutely placed sr-only text inside the table's scroll box.
            header: () => <span className="relative"><span className="sr-only">Action</span></span>, cell: (c) => {
              const row = c.row.original;
              const old = Date.now() - row.createdAt.getTime() > checkAfterMinutes * 60_000;
              return checkAction && row.status === "pending" && old ? <CheckWithGatewayButton action={checkAction} paymentId={row.id} /> : null;
            },
          }),
        ]
      : []),
  ];
  return (
    <DataTable
      columns={columns}
      rows={rows}
      list="onlinePayments"
      rowKey={(r) => r.id}
      caption="Online payments"
      empty={admin ? "No online payments match these filters." : "You have not paid online yet."}
    />
  );
}
