import { getDb } from "@/db/client";
import { settlementsCsv, settlementSearchSchema } from "@/lib/settlements";
import { csvResponse, searchParamsObject } from "../../../_server/csv";
import { currentUser } from "../../../_server/session";

export async function GET(request: Request) {
  const user = await currentUser();
  if (user?.role !== "admin") return new Response("Not allowed", { status: user ? 403 : 401 });
  const search = settlementSearchSchema.parse(searchParamsObject(request.url));
  return csvResponse("payments", await settlementsCsv(getDb(), search));
}
