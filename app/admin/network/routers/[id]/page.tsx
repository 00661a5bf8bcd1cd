import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { getRouter } from "@/lib/radius/routers";
import { orNotFound } from "@/app/_server/not-found";
import { requireAdmin } from "@/app/_server/session";
import { RouterForm } from "../router-form";

export const metadata: Metadata = { title: "Edit router" };

export default async function EditRouterPage({ params }: { params: Promise<{ id: string }> }) {
  await requireAdmin();
  const id = Number((await params).id);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2_147_483_647) notFound();
  const router = await orNotFound(getRouter(getDb(), id));
  return (
    <div className="max-w-2xl">
      <PageHeader title={`Edit ${router.name}`} />
      <Card><CardContent className="pt-5"><RouterForm router={router} /></CardContent></Card>
    </div>
  );
}
