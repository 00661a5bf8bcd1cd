import { getDb } from "@/db/client";
import { settlementsCsv, settlementSearchSchema } from "@/lib/settlements";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { refuseUnlessAdmin } from "../../../_server/session";

export async function GET(request: Request) {
  const refusal = await refuseUnlessAdmin();
  if (refusal) return refusal;
  const search = settlementSearchSchema.parse(searchParamsObject(request.url));
  return csvResponse("payments", await settlementsCsv(getDb(), search));
}
