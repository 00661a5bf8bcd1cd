import { getDb } from "@/db/client";
import { customersCsv, parseCustomerSearch } from "@/lib/portal/customers";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { resellerOrRefusal } from "../../../_server/session";

export async function GET(request: Request) {
  const reseller = await resellerOrRefusal("customers.view");
  if (reseller instanceof Response) return reseller;
  return csvResponse("customers", await customersCsv(getDb(), reseller.resellerId, parseCustomerSearch(searchParamsObject(request.url))));
}
