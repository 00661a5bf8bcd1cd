import { admin } from "@/app/_server/action";
import { csvResponse, searchParamsObject } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { auditCsv, auditSearchSchema } from "@/lib/audit-log";

export const GET = guardedRoute(admin, async (request) =>
  csvResponse("audit-log", await auditCsv(getDb(), auditSearchSchema.parse(searchParamsObject(request.url)))),
);
