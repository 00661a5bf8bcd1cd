import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "@/app/_server/session";
import { RouterForm } from "../router-form";

export const metadata: Metadata = { title: "Add router" };

export default async function NewRouterPage() {
  await requireAdmin();
  return (
    <div className="max-w-2xl">
      <PageHeader title="Add router" />
      <Card><CardContent className="pt-5"><RouterForm /></CardContent></Card>
    </div>
  );
}
