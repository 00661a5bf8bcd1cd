import { searchParamsObject, streamCsv } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { parseStatementSearch, statementCsvChunks } from "@/lib/statement";

export const GET = guardedRoute({ role: "reseller", permission: "finance.view" }, async (request, user) =>
  streamCsv("statement", statementCsvChunks(getDb(), user.resellerId, parseStatementSearch(searchParamsObject(request.url)))),
);
