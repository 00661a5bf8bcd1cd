import { PageHeader } from "@/components/ui/page-header";
import { requireAdmin } from "../_server/session";

export default async function AdminDashboard() {
  const user = await requireAdmin();
  return <PageHeader title="Dashboard" description={`Welcome back, ${user.name}.`} />;
}
