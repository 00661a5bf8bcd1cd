"use server";

import { getDb } from "@/db/client";
import { issueApiTokenOnce, issueApiTokenPageForm, revokeApiToken, revokeApiTokenForm } from "@/lib/api/tokens";
import { guardedAction } from "@/app/_server/action";

const access = { role: "reseller", permission: "api.tokens" } as const;
const revalidate = { revalidate: ["/portal/api-tokens"] };

// The token is always the signed-in user's own (never a user id from the form); lib keeps it within the reseller's permissions.
export const issueOwnTokenAction = guardedAction(
  access,
  issueApiTokenPageForm.omit({ userId: true }),
  async (input, { actor, user }) => {
    const { token, record } = await issueApiTokenOnce(getDb(), actor, { ...input, userId: user.id });
    return { token, name: record.name, prefix: record.prefix };
  },
  revalidate,
);

// Another reseller's token id is NOT_FOUND (lib checks the token's reseller against the actor's).
export const revokeOwnTokenAction = guardedAction(access, revokeApiTokenForm, (input, { actor }) => revokeApiToken(getDb(), actor, input.tokenId), revalidate);
