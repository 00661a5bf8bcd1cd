import type { Metadata } from "next";
import { ChargePage } from "@/app/portal/customers/[id]/charge-page";

export const metadata: Metadata = { title: "Activate a package" };

export default function ActivatePage({ params }: { params: Promise<{ id: string }> }) {
  return <ChargePage params={params} mode="activation" />;
}
