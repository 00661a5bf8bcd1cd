import { getDb } from "@/db/client";
import { receivablesCsv } from "@/lib/receivables";
import { csvResponse } from "../../../../_server/csv";
import { refuseUnlessAdmin } from "../../../../_server/session";

export async function GET() {
  const refusal = await refuseUnlessAdmin();
  if (refusal) return refusal;
  return csvResponse("accounts-receivable", await receivablesCsv(getDb()));
}
