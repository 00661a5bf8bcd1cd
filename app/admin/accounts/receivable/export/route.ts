import { admin } from "@/app/_server/action";
import { csvResponse } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { receivablesCsv } from "@/lib/receivables";

export const GET = guardedRoute(admin, async () => csvResponse("accounts-receivable", await receivablesCsv(getDb())));
