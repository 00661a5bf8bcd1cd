import "server-only";
import { getDb } from "@/db/client";
import { gatewayConfig } from "@/lib/payments/gateway";
import { gatewayFor } from "@/lib/payments/checkout";

/** This install's gateway (from the environment), or null when online payment is off. */
export function currentGateway() {
  return gatewayFor(getDb(), gatewayConfig());
}
