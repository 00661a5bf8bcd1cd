// Words for the disconnect outbox and routers, shared by the tables (browser)
// and the lists' URL filters. Browser-safe: no database here.
import type { DisconnectOutcome, DisconnectReason, DisconnectStatus } from "@/db/radius-schema";

export const disconnectReasonLabels: Record<DisconnectReason, string> = {
  customer_suspended: "Customer suspended",
  reseller_suspended: "Reseller suspended",
  expired: "Service expired",
  no_service: "Charge reversed",
  package_changed: "Package changed",
};

export const disconnectOutcomeLabels: Record<DisconnectOutcome, string> = { ack: "ACK", nak: "NAK", timeout: "Timeout", error: "Error" };

export const disconnectStatusLabels: Record<DisconnectStatus, string> = { pending: "Sending", acked: "Done", failed: "Failed" };

/** The router types Lastmile writes to FreeRADIUS's `nas.type`. */
export const nasTypes = ["mikrotik", "cisco", "juniper", "other"] as const;
export type NasType = (typeof nasTypes)[number];
export const nasTypeLabels: Record<NasType, string> = { mikrotik: "MikroTik", cisco: "Cisco", juniper: "Juniper", other: "Other" };

/** A label record as <select> options, in the record's order. */
export const optionsOf = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));
