import { getDb } from "@/db/client";
import { auditCsv, auditSearchSchema } from "@/lib/audit-log";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { refuseUnlessAdmin } from "../../../_server/session";

export async function GET(request: Request) {
  const refusal = await refuseUnlessAdmin();
  if (refusal) return refusal;
  return csvResponse("audit-log", await auditCsv(getDb(), auditSearchSchema.parse(searchParamsObject(request.url))));
}
