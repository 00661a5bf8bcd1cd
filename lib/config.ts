import { availableParallelism } from "node:os";
import { isTimeZone } from "./dates";

/** The installation's currency (ISO 4217), one per install. */
export function installCurrency(): string {
  const code = (process.env.LASTMILE_CURRENCY ?? "USD").trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`LASTMILE_CURRENCY must be an ISO 4217 code, got "${code}"`);
  return code;
}

/**
 * The installation's time zone (IANA name, default UTC): what "today" and
 * "this month" mean on dashboards, how days are grouped and dates shown.
 */
export function installTimeZone(): string {
  const zone = (process.env.LASTMILE_TIME_ZONE ?? "UTC").trim() || "UTC";
  if (!isTimeZone(zone)) throw new Error(`LASTMILE_TIME_ZONE must be an IANA time zone such as "Asia/Dhaka", got "${zone}"`);
  return zone;
}

/** The app's public URL (trusted configuration, never the request's Host header): the gateway sends the payer back here. */
export function appBaseUrl(): string {
  const url = process.env.NEXTAUTH_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
  return url.replace(/\/+$/, "");
}

/**
 * How many app processes `npm start` runs (LASTMILE_WORKERS; default one per
 * CPU, since a page render uses one core): a whole number of at least 1.
 */
export function installWorkers(value: string | undefined = process.env.LASTMILE_WORKERS, cpus = availableParallelism()): number {
  const text = (value ?? "").trim();
  if (text === "") return Math.max(1, cpus);
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`LASTMILE_WORKERS must be a whole number of at least 1, got "${value}"`);
  return Number(text);
}
