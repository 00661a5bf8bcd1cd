import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { listResellerAreas } from "@/lib/areas";
import { requireReseller } from "@/app/_server/session";
import { NewCustomerForm } from "@/app/portal/customers/customer-forms";

export const metadata: Metadata = { title: "New customer" };

export default async function NewCustomerPage() {
  const user = await requireReseller("customers.create");
  const areas = await listResellerAreas(getDb(), user.resellerId);
  return (
    <div className="max-w-3xl">
      <PageHeader title="New customer" />
      <Card><CardContent className="pt-5">{areas.length === 0 ? <p className="text-sm text-slate-600">You serve no areas yet. Ask your admin to assign areas.</p> : <NewCustomerForm areas={areas} idempotencyKey={randomUUID()} />}</CardContent></Card>
    </div>
  );
}
