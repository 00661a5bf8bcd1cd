import { getDb } from "@/db/client";
import { endpoints } from "@/lib/api/endpoints";
import { positionJson } from "@/lib/api/present";
import { getResellerPosition } from "@/lib/resellers";
import { apiRoute } from "@/app/_server/api";

export const GET = apiRoute(endpoints.me, async ({ principal }) => {
  const { user, token, scopes, resellerId } = principal;
  const showPosition = resellerId !== null && scopes.includes("finance.view");
  return {
    user: { id: user.id, email: user.email, name: user.name, role: user.role },
    token: { id: token.id, name: token.name, prefix: token.prefix, scopes },
    reseller: user.reseller ? { id: user.reseller.id, name: user.reseller.name } : null,
    position: showPosition ? positionJson(await getResellerPosition(getDb(), resellerId)) : null,
  };
});
