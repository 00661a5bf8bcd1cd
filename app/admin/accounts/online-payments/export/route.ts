import { getDb } from "@/db/client";
import { onlinePaymentsCsv, onlinePaymentSearchSchema } from "@/lib/payments/queries";
import { csvResponse, searchParamsObject } from "../../../../_server/csv";
import { refuseUnlessAdmin } from "../../../../_server/session";

export async function GET(request: Request) {
  const refusal = await refuseUnlessAdmin();
  if (refusal) return refusal;
  const search = onlinePaymentSearchSchema.parse(searchParamsObject(request.url));
  return csvResponse("online-payments", await onlinePaymentsCsv(getDb(), search));
}
