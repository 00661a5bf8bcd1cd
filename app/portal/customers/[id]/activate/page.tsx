import type { Metadata } from "next";
import { customerTitle } from "@/app/portal/customers/[id]/load";
import { ChargePage } from "@/app/portal/customers/[id]/charge-page";

export const generateMetadata = ({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> => customerTitle(params, "subscriptions.activate", "Activate");

export default function ActivatePage({ params }: { params: Promise<{ id: string }> }) {
  return <ChargePage params={params} mode="activation" />;
}
