import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { IssueTokenForm, RevokeTokenButton } from "@/components/api-tokens/token-forms";
import { TokenTable } from "@/components/api-tokens/token-table";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { listApiTokens, tokenOwners } from "@/lib/api/tokens";
import { adminScopeCatalog, allAdminScopes, isPermission, permissionCatalog } from "@/lib/permissions";
import { requireAdmin } from "@/app/_server/session";
import { issueTokenAction, revokeTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function AdminApiTokensPage() {
  await requireAdmin();
  const [tokens, owners] = await Promise.all([listApiTokens(getDb(), "all"), tokenOwners(getDb())]);
  return (
    <div className="space-y-6">
      <PageHeader
        title="API tokens"
        description={
          <>
            Tokens for resellers&apos; kiosks and apps (at most the reseller&apos;s permissions) and for admin automation. The API is described at{" "}
            <a className="underline" href="/docs/api">/docs/api</a>.
          </>
        }
      />
      <Card>
        <CardHeader><CardTitle>Issue a token</CardTitle></CardHeader>
        <CardContent>
          <IssueTokenForm
            action={issueTokenAction}
            idempotencyKey={randomUUID()}
            scopes={[...permissionCatalog, ...adminScopeCatalog]}
            owners={owners.map((o) => ({
              value: o.id,
              label: o.role === "admin" ? `${o.email} (admin)` : `${o.email} (${o.resellerName})`,
              scopes: o.role === "admin" ? allAdminScopes : (o.permissions ?? []).filter(isPermission),
            }))}
          />
        </CardContent>
      </Card>
      <Card>
        <CardHeader><CardTitle>Tokens</CardTitle></CardHeader>
        <CardContent>
          <TokenTable rows={tokens} showReseller revoke={(t) => <RevokeTokenButton tokenId={t.id} name={t.name} action={revokeTokenAction} />} />
        </CardContent>
      </Card>
    </div>
  );
}
