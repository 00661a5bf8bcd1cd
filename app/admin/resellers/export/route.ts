import { admin } from "@/app/_server/action";
import { csvResponse, searchParamsObject } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { resellersCsv, resellerSearchSchema } from "@/lib/resellers";

export const GET = guardedRoute(admin, async (request) =>
  csvResponse("resellers", await resellersCsv(getDb(), resellerSearchSchema.parse(searchParamsObject(request.url)))),
);
