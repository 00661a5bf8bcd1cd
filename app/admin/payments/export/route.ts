import { admin } from "@/app/_server/action";
import { csvResponse, searchParamsObject } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { settlementsCsv, settlementSearchSchema } from "@/lib/settlements";

export const GET = guardedRoute(admin, async (request) =>
  csvResponse("payments", await settlementsCsv(getDb(), settlementSearchSchema.parse(searchParamsObject(request.url)))),
);
