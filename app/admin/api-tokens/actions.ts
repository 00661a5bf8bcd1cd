"use server";

import { getDb } from "@/db/client";
import { issueApiToken, issueApiTokenForm, revokeApiToken, revokeApiTokenForm } from "@/lib/api/tokens";
import { admin, guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/admin/api-tokens"] };

// The plain token is in this result only: it is shown once and stored as a hash.
export const issueTokenAction = guardedAction(
  admin,
  issueApiTokenForm,
  async (input, { actor }) => {
    const { token, record } = await issueApiToken(getDb(), actor, input);
    return { token, name: record.name, prefix: record.prefix };
  },
  revalidate,
);

export const revokeTokenAction = guardedAction(admin, revokeApiTokenForm, (input, { actor }) => revokeApiToken(getDb(), actor, input.tokenId), revalidate);
