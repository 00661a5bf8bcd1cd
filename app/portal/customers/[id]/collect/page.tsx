import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { CollectPaymentForm } from "@/app/portal/customers/customer-forms";
import { customerTitle, loadCustomer } from "@/app/portal/customers/[id]/load";

export const generateMetadata = ({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> => customerTitle(params, "payments.collect", "Collect payment");

export default async function CollectPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, customer } = await loadCustomer(params, "payments.collect");
  return (
    <div className="max-w-2xl">
      <PageHeader title={`Collect payment · ${customer.name}`} description="Money your customer paid you. It goes in your own cash book, with a receipt." />
      <Card><CardContent className="pt-5"><CollectPaymentForm customerId={customer.id} currency={user.reseller!.currency} idempotencyKey={randomUUID()} /></CardContent></Card>
    </div>
  );
}
