"use server";

import { getDb } from "@/db/client";
import { issueApiTokenOnce, issueApiTokenPageForm, revokeApiToken, revokeApiTokenForm } from "@/lib/api/tokens";
import { admin, guardedAction } from "@/app/_server/action";

const revalidate = { revalidate: ["/admin/api-tokens"] };

// The plain token is in this result only: it is shown once and stored as a hash. The form's key makes a double submit issue one token.
export const issueTokenAction = guardedAction(
  admin,
  issueApiTokenPageForm,
  async (input, { actor }) => {
    const { token, record } = await issueApiTokenOnce(getDb(), actor, input);
    return { token, name: record.name, prefix: record.prefix };
  },
  revalidate,
);

export const revokeTokenAction = guardedAction(admin, revokeApiTokenForm, (input, { actor }) => revokeApiToken(getDb(), actor, input.tokenId), revalidate);
