import { getDb } from "@/db/client";
import { parseStatementSearch, statementCsvChunks } from "@/lib/statement";
import { searchParamsObject, streamCsv } from "../../../_server/csv";
import { resellerOrRefusal } from "../../../_server/session";

export async function GET(request: Request) {
  const reseller = await resellerOrRefusal("finance.view");
  if (reseller instanceof Response) return reseller;
  return streamCsv("statement", statementCsvChunks(getDb(), reseller.resellerId, parseStatementSearch(searchParamsObject(request.url))));
}
