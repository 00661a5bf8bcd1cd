import { getDb } from "@/db/client";
import { isUuid } from "@/lib/ids";
import { parseStatementSearch, statementCsvChunks } from "@/lib/statement";
import { refuseUnlessAdmin } from "../../../../../_server/session";
import { searchParamsObject, streamCsv } from "../../../../../_server/csv";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const refusal = await refuseUnlessAdmin();
  if (refusal) return refusal;
  const { id } = await params;
  if (!isUuid(id)) return new Response("Not found", { status: 404 });
  return streamCsv("statement", statementCsvChunks(getDb(), id, parseStatementSearch(searchParamsObject(request.url))));
}
