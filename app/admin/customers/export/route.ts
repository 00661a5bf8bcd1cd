import { admin } from "@/app/_server/action";
import { csvResponse, searchParamsObject } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { allCustomersCsv, directorySearchSchema } from "@/lib/customer-directory";

export const GET = guardedRoute(admin, async (request) =>
  csvResponse("customers", await allCustomersCsv(getDb(), directorySearchSchema.parse(searchParamsObject(request.url)))),
);
