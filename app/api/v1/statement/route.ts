import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { amount, iso } from "@/lib/api/present";
import { installCurrency } from "@/lib/config";
import { parseStatementSearch, statement, type StatementSearch } from "@/lib/statement";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.statement, async ({ resellerId, query }) => {
  const search: StatementSearch = {
    ...parseStatementSearch({ from: query.from, to: query.to, kinds: query.kinds?.join(",") }),
    cursor: query.starting_after,
    direction: query.starting_after === undefined ? "first" : "next",
    // The screens offer 10/25/50/100 rows; the statement query takes any page size.
    perPage: query.limit as StatementSearch["perPage"],
  };
  const page = await statement(getDb(), resellerId, search);
  const currency = installCurrency();
  return {
    data: page.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      amount: amount(r.amount, currency),
      balanceAfter: amount(r.balanceAfter, currency),
      note: r.note,
      method: r.method,
      customerId: r.customerId,
      subscriptionId: r.subscriptionId,
      createdAt: iso(r.createdAt),
    })),
    has_more: page.hasOlder,
    next_cursor: page.hasOlder && page.olderCursor !== null ? String(page.olderCursor) : null,
    openingBalance: amount(page.openingBalance, currency),
    closingBalance: amount(page.closingBalance, currency),
    currentBalance: amount(page.currentBalance, currency),
    currency,
  };
});
