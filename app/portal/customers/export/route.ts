import { csvResponse, searchParamsObject } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { customersCsv, parseCustomerSearch } from "@/lib/portal/customers";

export const GET = guardedRoute({ role: "reseller", permission: "customers.view" }, async (request, user) =>
  csvResponse("customers", await customersCsv(getDb(), user.resellerId, parseCustomerSearch(searchParamsObject(request.url)))),
);
