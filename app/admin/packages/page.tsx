import type { Metadata } from "next";
import Link from "next/link";
import { Pager, TableToolbar } from "@/components/data-table/toolbar";
import { buttonVariants } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { installCurrency } from "@/lib/config";
import { listPackages, packageSearchSchema } from "@/lib/packages";
import { requireAdmin } from "@/app/_server/session";
import { PackagesTable } from "./packages-table";

export const metadata: Metadata = { title: "Packages" };

export default async function PackagesPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireAdmin();
  const search = packageSearchSchema.parse(await searchParams);
  const page = await listPackages(getDb(), search);
  return (
    <div>
      <PageHeader title="Packages" description="What you sell, at the customer price. Resellers buy at the rate you set for each." actions={<Link href="/admin/packages/new" className={buttonVariants()}>New package</Link>} />
      <TableToolbar list="packages" searchPlaceholder="Search packages" filters={[{ name: "active", label: "Status", options: [{ value: "yes", label: "Active" }, { value: "no", label: "Inactive" }] }]} />
      <PackagesTable rows={page.rows} currency={installCurrency()} />
      <Pager list="packages" pageCount={page.pageCount} total={page.total} />
    </div>
  );
}
