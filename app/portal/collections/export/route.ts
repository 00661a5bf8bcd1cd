import { csvResponse, searchParamsObject } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { collectionsCsv, parseCollectionSearch } from "@/lib/portal/payments";

export const GET = guardedRoute({ role: "reseller", permission: "payments.collect" }, async (request, user) =>
  csvResponse("collections", await collectionsCsv(getDb(), user.resellerId, parseCollectionSearch(searchParamsObject(request.url)))),
);
