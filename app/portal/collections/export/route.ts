import { getDb } from "@/db/client";
import { collectionsCsv, parseCollectionSearch } from "@/lib/portal/payments";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { resellerOrRefusal } from "../../../_server/session";

export async function GET(request: Request) {
  const reseller = await resellerOrRefusal("payments.collect");
  if (reseller instanceof Response) return reseller;
  return csvResponse("collections", await collectionsCsv(getDb(), reseller.resellerId, parseCollectionSearch(searchParamsObject(request.url))));
}
