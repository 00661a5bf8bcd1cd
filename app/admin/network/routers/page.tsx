import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { listRouters } from "@/lib/radius/routers";
import { requireAdmin } from "@/app/_server/session";

export const metadata: Metadata = { title: "Routers" };

export default async function RoutersPage() {
  await requireAdmin();
  const routers = await listRouters(getDb());
  return (
    <div>
      <PageHeader
        title="Routers"
        description="The routers (NAS) that ask FreeRADIUS about your customers and take Disconnect/CoA requests. FreeRADIUS reads this list when it starts: restart it after a change."
        actions={<Link href="/admin/network/routers/new" className={buttonVariants()}>Add router</Link>}
      />
      <Card>
        <CardContent className="pt-4">
          {routers.length === 0 ? (
            <p className="text-sm text-slate-500">No routers yet.</p>
          ) : (
            <table className="w-full text-sm" data-testid="routers-table">
              <thead>
                <tr className="text-left text-slate-500"><th className="py-1 font-medium">Name</th><th className="py-1 font-medium">Address</th><th className="py-1 font-medium">Type</th><th className="py-1 font-medium">CoA port</th><th className="py-1 font-medium">Description</th></tr>
              </thead>
              <tbody>
                {routers.map((r) => (
                  <tr key={r.id} className="border-t border-slate-100">
                    <td className="py-1.5"><Link className="text-brand-700 hover:underline" href={`/admin/network/routers/${r.id}`}>{r.name}</Link></td>
                    <td className="py-1.5 font-mono">{r.address}</td>
                    <td className="py-1.5 capitalize">{r.type}</td>
                    <td className="py-1.5 tabular-nums">{r.coaPort}</td>
                    <td className="py-1.5">{r.description ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
