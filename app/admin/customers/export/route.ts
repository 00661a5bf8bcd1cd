import { getDb } from "@/db/client";
import { allCustomersCsv, directorySearchSchema } from "@/lib/customer-directory";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { refuseUnlessAdmin } from "../../../_server/session";

export async function GET(request: Request) {
  const refusal = await refuseUnlessAdmin();
  if (refusal) return refusal;
  return csvResponse("customers", await allCustomersCsv(getDb(), directorySearchSchema.parse(searchParamsObject(request.url))));
}
