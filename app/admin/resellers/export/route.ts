import { getDb } from "@/db/client";
import { resellersCsv, resellerSearchSchema } from "@/lib/resellers";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { refuseUnlessAdmin } from "../../../_server/session";

export async function GET(request: Request) {
  const refusal = await refuseUnlessAdmin();
  if (refusal) return refusal;
  return csvResponse("resellers", await resellersCsv(getDb(), resellerSearchSchema.parse(searchParamsObject(request.url))));
}
