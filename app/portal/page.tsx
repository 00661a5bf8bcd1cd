import { PageHeader } from "@/components/ui/page-header";
import { requireReseller } from "../_server/session";

export default async function PortalDashboard() {
  const user = await requireReseller();
  return <PageHeader title="Dashboard" description={user.reseller?.name} />;
}
