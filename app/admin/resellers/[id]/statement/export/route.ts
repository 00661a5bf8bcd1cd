import { admin } from "@/app/_server/action";
import { searchParamsObject, streamCsv } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { parseStatementSearch, statementCsvChunks } from "@/lib/statement";

/** An unknown or malformed reseller id is a 404 problem before any CSV is sent (streamCsv reads the first chunk first). */
export const GET = guardedRoute(admin, async (request, _user, { params }: { params: Promise<{ id: string }> }) =>
  streamCsv("statement", statementCsvChunks(getDb(), (await params).id, parseStatementSearch(searchParamsObject(request.url)))),
);
