import type { ReactNode } from "react";
import type { ApiTokenRow } from "@/lib/api/tokens";

function when(d: Date | null) {
  return d ? d.toISOString().slice(0, 16).replace("T", " ") + " UTC" : "—";
}

/** Tokens as a table: prefix (never the token), owner, scopes, last use, state. */
export function TokenTable({ rows, revoke, showReseller }: { rows: (ApiTokenRow & { resellerName?: string | null })[]; revoke: (row: ApiTokenRow) => ReactNode; showReseller?: boolean }) {
  if (rows.length === 0) return <p className="text-sm text-slate-500">No API tokens yet.</p>;
  const now = Date.now();
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-sm" data-testid="api-tokens">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1 pr-3 font-medium">Name</th>
            <th className="py-1 pr-3 font-medium">Token</th>
            <th className="py-1 pr-3 font-medium">Owner</th>
            <th className="py-1 pr-3 font-medium">Scopes</th>
            <th className="py-1 pr-3 font-medium">Last used</th>
            <th className="py-1 pr-3 font-medium">State</th>
            <th className="py-1 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => {
            const state = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= now ? "expired" : "active";
            return (
              <tr key={t.id} className="border-t border-slate-100 align-top">
                <td className="py-1.5 pr-3 font-medium">{t.name}</td>
                <td className="py-1.5 pr-3 font-mono text-xs">{t.prefix}…</td>
                <td className="py-1.5 pr-3">
                  {t.ownerEmail}
                  {showReseller && <span className="block text-xs text-slate-500">{t.resellerName ?? "Admin"}</span>}
                </td>
                <td className="py-1.5 pr-3 font-mono text-xs">{t.scopes.join(", ")}</td>
                <td className="py-1.5 pr-3 text-xs">
                  {when(t.lastUsedAt)}
                  {t.lastUsedIp && <span className="block text-slate-500">{t.lastUsedIp}</span>}
                </td>
                <td className="py-1.5 pr-3 text-xs">
                  {state}
                  {state === "active" && t.expiresAt && <span className="block text-slate-500">until {when(t.expiresAt)}</span>}
                </td>
                <td className="py-1.5">{state === "active" && revoke(t)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
