import { getDb } from "@/db/client";
import { allCustomersCsv, directorySearchSchema } from "@/lib/customer-directory";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { currentUser } from "../../../_server/session";

export async function GET(request: Request) {
  const user = await currentUser();
  if (user?.role !== "admin") return new Response("Not allowed", { status: user ? 403 : 401 });
  return csvResponse("customers", await allCustomersCsv(getDb(), directorySearchSchema.parse(searchParamsObject(request.url))));
}
