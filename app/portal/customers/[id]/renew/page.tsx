import type { Metadata } from "next";
import { ChargePage } from "@/app/portal/customers/[id]/charge-page";

export const metadata: Metadata = { title: "Renew" };

export default function RenewPage({ params }: { params: Promise<{ id: string }> }) {
  return <ChargePage params={params} mode="renewal" />;
}
