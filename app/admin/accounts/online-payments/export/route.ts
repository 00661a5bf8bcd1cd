import { admin } from "@/app/_server/action";
import { csvResponse, searchParamsObject } from "@/app/_server/csv";
import { guardedRoute } from "@/app/_server/route";
import { getDb } from "@/db/client";
import { onlinePaymentsCsv, onlinePaymentSearchSchema } from "@/lib/payments/queries";

export const GET = guardedRoute(admin, async (request) =>
  csvResponse("online-payments", await onlinePaymentsCsv(getDb(), onlinePaymentSearchSchema.parse(searchParamsObject(request.url)))),
);
