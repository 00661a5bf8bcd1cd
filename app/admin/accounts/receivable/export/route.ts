import { getDb } from "@/db/client";
import { receivablesCsv } from "@/lib/receivables";
import { csvResponse } from "../../../../_server/csv";
import { currentUser } from "../../../../_server/session";

export async function GET() {
  const user = await currentUser();
  if (user?.role !== "admin") return new Response("Not allowed", { status: user ? 403 : 401 });
  return csvResponse("accounts-receivable", await receivablesCsv(getDb()));
}
