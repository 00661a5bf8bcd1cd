import type { Metadata } from "next";
import Link from "next/link";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { RoutersTable } from "@/components/network/routers-table";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { nasTypeLabels, optionsOf } from "@/lib/radius/labels";
import { listRouterPage, routerSearchSchema } from "@/lib/radius/routers";
import { requireAdmin } from "@/app/_server/session";

export const metadata: Metadata = { title: "Routers" };

export default async function RoutersPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const page = await listRouterPage(getDb(), { role: "admin" }, routerSearchSchema.parse(await searchParams));
  return (
    <div>
      <PageHeader
        title="Routers"
        description="The routers (NAS) that ask FreeRADIUS about your customers and take Disconnect/CoA requests. FreeRADIUS reads this list when it starts: restart it after a change."
        actions={<Link href="/admin/network/routers/new" className={buttonVariants()}>Add router</Link>}
      />
      <TableToolbar
        list="routers"
        searchPlaceholder="Name or address"
        filters={[{ name: "type", label: "Type", options: optionsOf(nasTypeLabels) }]}
      />
      <RoutersTable rows={page.rows} />
      <Pager list="routers" pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
