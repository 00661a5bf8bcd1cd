import type { Metadata } from "next";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { listResellerAreas } from "@/lib/areas";
import { EditCustomerForm } from "@/app/portal/customers/customer-forms";
import { customerTitle, loadCustomer } from "@/app/portal/customers/[id]/load";

export const generateMetadata = ({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> => customerTitle(params, "customers.edit", "Edit");

export default async function EditCustomerPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, customer } = await loadCustomer(params, "customers.edit");
  const areas = await listResellerAreas(getDb(), user.resellerId);
  return (
    <div className="max-w-3xl">
      <PageHeader title={`Edit ${customer.username}`} />
      <Card><CardContent className="pt-5"><EditCustomerForm areas={areas} customer={customer} /></CardContent></Card>
    </div>
  );
}
