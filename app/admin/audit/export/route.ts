import { getDb } from "@/db/client";
import { auditCsv, auditSearchSchema } from "@/lib/audit-log";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { currentUser } from "../../../_server/session";

export async function GET(request: Request) {
  const user = await currentUser();
  if (user?.role !== "admin") return new Response("Not allowed", { status: user ? 403 : 401 });
  return csvResponse("audit-log", await auditCsv(getDb(), auditSearchSchema.parse(searchParamsObject(request.url))));
}
