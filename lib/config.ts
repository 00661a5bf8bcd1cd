/** The installation's currency (ISO 4217), one per install. */
export function installCurrency(): string {
  const code = (process.env.LASTMILE_CURRENCY ?? "USD").trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new Error(`LASTMILE_CURRENCY must be an ISO 4217 code, got "${code}"`);
  return code;
}
