import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { IssueTokenForm, RevokeTokenButton } from "@/components/api-tokens/token-forms";
import { TokenTable } from "@/components/api-tokens/token-table";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { getDb } from "@/db/client";
import { listApiTokens } from "@/lib/api/tokens";
import { permissionCatalog } from "@/lib/permissions";
import { requireReseller } from "@/app/_server/session";
import { issueOwnTokenAction, revokeOwnTokenAction } from "./actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function PortalApiTokensPage() {
  const user = await requireReseller("api.tokens");
  const tokens = await listApiTokens(getDb(), { resellerId: user.resellerId });
  return (
    <div className="space-y-6">
      <PageHeader
        title="API tokens"
        description={
          <>
            For your kiosks, apps and scripts: a token does, over HTTP, what its scopes allow you to do here. See <a className="underline" href="/docs/api">the API reference</a>.
          </>
        }
      />
      <Card>
        <CardHeader><CardTitle>Issue a token</CardTitle></CardHeader>
        <CardContent>
          <IssueTokenForm action={issueOwnTokenAction} idempotencyKey={randomUUID()} scopes={permissionCatalog.filter((p) => user.permissions.includes(p.key))} />
        </CardContent>
      </Card>
      <Card>
        <CardHeader><CardTitle>Your tokens</CardTitle></CardHeader>
        <CardContent>
          <TokenTable rows={tokens} revoke={(t) => <RevokeTokenButton tokenId={t.id} name={t.name} action={revokeOwnTokenAction} />} />
        </CardContent>
      </Card>
    </div>
  );
}
