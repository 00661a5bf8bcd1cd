import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiIdempotency, apiTokens, resellers } from "@/db/schema";
import { apiMaintenanceRound, sweepApiIdempotency } from "@/lib/api/maintenance";
import { issueApiToken } from "@/lib/api/tokens";
import { allPermissions } from "@/lib/permissions";
import { rawCall } from "../support/api-client";
import { adminActor, makeChargeableReseller, makeCustomer, makeUser } from "../support/factories";
import { db, testDatabaseUrl } from "../support/fresh-database";

const ADDRESS_KEY = "test-address-key";

beforeAll(() => {
  process.env.DATABASE_URL = testDatabaseUrl();
  process.env.LASTMILE_CLIENT_ADDRESS_KEY = ADDRESS_KEY;
});

afterEach(() => {
  delete process.env.LASTMILE_API_BAD_TOKEN_LIMIT;
});

/** Headers as Lastmile's server hands a request on: the client address it decided. */
const from = (address: string) => ({ "x-lastmile-client-address": `${ADDRESS_KEY} ${address}` });

async function resellerToken() {
  const { reseller, pkg, area } = await makeChargeableReseller(db(), { rate: 1_000n, openingBalance: 10_000n });
  await db().update(resellers).set({ permissions: allPermissions }).where(eq(resellers.id, reseller.id));
  const user = await makeUser(db(), { role: "reseller", resellerId: reseller.id });
  const { token, record } = await issueApiToken(db(), adminActor, { userId: user.id, name: "hardening" });
  return { reseller, pkg, area, user, token, record };
}

describe("idempotency retention", () => {
  it("answers older than the retention are swept; younger ones still replay, and a swept key charges nothing twice", async () => {
    const { reseller, pkg, area, token } = await resellerToken();
    const customer = await makeCustomer(db(), reseller.id, area.id);
    const key = randomUUID();
    const body = JSON.stringify({ packageId: pkg.id });
    const activate = () => rawCall("POST", `/customers/${customer.id}/activations`, { token, body, headers: { "idempotency-key": key } });
    const first = await activate();
    expect(first.status).toBe(201);
    const recent = await rawCall("GET", "/me", { token });
    expect(recent.status).toBe(200);

    // A day old: still kept at 25 hours' retention, gone at 24.
    await db().update(apiIdempotency).set({ createdAt: sql`now() - interval '24 hours 1 minute'` }).where(eq(apiIdempotency.key, key));
    expect(await sweepApiIdempotency(db(), 25)).toBe(0);
    const replay = await activate();
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await sweepApiIdempotency(db(), 24)).toBe(1);
    expect(await db().select().from(apiIdempotency).where(eq(apiIdempotency.key, key))).toHaveLength(0);

    // The key is new to the API again, but lib's command key is the same: the charge is not made twice.
    const again = await activate();
    expect(again.status).toBe(201);
    expect(again.headers.get("Idempotent-Replayed")).toBeNull();
    expect(await again.json()).toEqual(await first.json());
    const [charges] = await db().execute<{ n: number }>(sql`select count(*)::int as n from ledger_entries where customer_id = ${customer.id} and kind = 'activation'`);
    expect(charges!.n).toBe(1);
  });

  it("the maintenance round sweeps old answers and old windows, and keeps current ones", async () => {
    const { token, record, user } = await resellerToken();
    expect((await rawCall("GET", "/me", { token })).status).toBe(200);
    await db().insert(apiIdempotency).values([
      { ownerUserId: user.id, key: "old", tokenId: record.id, fingerprint: "x", status: 201, body: "{}", createdAt: new Date(Date.now() - 25 * 3_600_000) },
      { ownerUserId: user.id, key: "new", tokenId: record.id, fingerprint: "x", status: 201, body: "{}" },
    ]);
    await db().execute(sql`insert into api_rate_limits (token_id, window_start, count) values (${record.id}, now() - interval '2 days', 5)`);
    await db().execute(sql`insert into api_auth_failures (address, window_start, count) values ('192.0.2.1', now() - interval '2 days', 5), ('192.0.2.2', now(), 1)`);
    const round = await apiMaintenanceRound(db());
    expect(round).toEqual({ idempotency: 1, rateWindows: 1, authFailures: 1 });
    expect((await db().select({ key: apiIdempotency.key }).from(apiIdempotency).where(eq(apiIdempotency.ownerUserId, user.id))).map((r) => r.key)).toEqual(["new"]);
    const [windows] = await db().execute<{ n: number }>(sql`select count(*)::int as n from api_rate_limits where token_id = ${record.id}`);
    expect(windows!.n).toBe(1);
  });
});

describe("invalid tokens are throttled per client address", () => {
  it("past the budget, every request from that address is 429 (even with a valid token) until the window ends; other addresses are untouched", async () => {
    process.env.LASTMILE_API_BAD_TOKEN_LIMIT = "3";
    const { token, record } = await resellerToken();
    const guess = () => `lm_live_${randomUUID().replaceAll("-", "").padEnd(43, "x").slice(0, 43)}`;
    const guesser = "198.51.100.23";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await rawCall("GET", "/me", { token: guess(), headers: from(guesser) })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const refused = await rawCall("GET", "/me", { token: guess(), headers: from(guesser) });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ code: "RATE_LIMITED" });
    // A right guess from there is refused too (so guessing stops), and the token's use is not recorded.
    const valid = await rawCall("GET", "/me", { token, headers: from(guesser) });
    expect(valid.status).toBe(429);
    const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, record.id));
    expect(row!.lastUsedAt).toBeNull();
    // A malformed token counts as a failure as well; no token at all is a plain 401.
    expect((await rawCall("GET", "/me", { headers: { ...from("198.51.100.24"), authorization: "Bearer nope" } })).status).toBe(401);
    // Another address, and the token itself, are unaffected.
    expect((await rawCall("GET", "/me", { token, headers: from("198.51.100.99") })).status).toBe(200);
    // The window ends: the address may try again.
    await db().execute(sql`update api_auth_failures set window_start = window_start - interval '1 day' where address = ${guesser}`);
    expect((await rawCall("GET", "/me", { token, headers: from(guesser) })).status).toBe(200);
  });
});
