import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, resellers } from "@/db/schema";
import { authenticateApiToken, hashApiToken, issueApiToken, issueApiTokenForm, issueApiTokenOnce, listApiTokens, revokeApiToken } from "@/lib/api/tokens";
import { allPermissions } from "@/lib/permissions";
import { rawCall } from "../support/api-client";
import { adminActor, failureCode, makeReseller, makeUser, resellerActor } from "../support/factories";
import { db, testDatabaseUrl } from "../support/fresh-database";

beforeAll(() => {
  process.env.DATABASE_URL = testDatabaseUrl();
});

async function resellerUser(permissions = allPermissions) {
  const reseller = await makeReseller(db(), { permissions });
  const user = await makeUser(db(), { role: "reseller", resellerId: reseller.id });
  return { reseller, user, actor: { ...resellerActor(reseller.id), userId: user.id } };
}

describe("API tokens", () => {
  it("are shown once and stored only as a SHA-256 hash with a visible prefix", async () => {
    const { user } = await resellerUser();
    const { token, record } = await issueApiToken(db(), adminActor, { userId: user.id, name: "kiosk" });
    expect(token).toMatch(/^lm_live_[A-Za-z0-9_-]{43}$/);
    const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, record.id));
    expect(row!.tokenHash).toBe(hashApiToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice(16));
    expect(row!.prefix).toBe(token.slice(0, 16));
    expect(row!.scopes).toEqual(allPermissions);
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.targetId, record.id));
    expect(audit).toMatchObject({ action: "api_token.issue" });
    expect(JSON.stringify(audit!.details)).not.toContain(token);
  });

  it("a reseller token holds at most its reseller's permissions; an admin token only admin scopes", async () => {
    const { user } = await resellerUser(["customers.view"]);
    expect(await failureCode(issueApiToken(db(), adminActor, { userId: user.id, name: "x", scopes: ["customers.view", "payments.collect"] }))).toBe("VALIDATION_FAILED");
    expect(await failureCode(issueApiToken(db(), adminActor, { userId: user.id, name: "x", scopes: ["balance.add"] }))).toBe("VALIDATION_FAILED");
    const admin = await makeUser(db(), { role: "admin" });
    expect(await failureCode(issueApiToken(db(), adminActor, { userId: admin.id, name: "x", scopes: ["customers.view"] }))).toBe("VALIDATION_FAILED");
    const { record } = await issueApiToken(db(), adminActor, { userId: admin.id, name: "books", scopes: ["receivables.read"] });
    expect(record).toMatchObject({ kind: "admin", resellerId: null, scopes: ["receivables.read"] });
  });

  it("a reseller manages only its own reseller's tokens: another's user or token is not found", async () => {
    const mine = await resellerUser();
    const theirs = await resellerUser();
    expect(await failureCode(issueApiToken(db(), mine.actor, { userId: theirs.user.id, name: "steal" }))).toBe("NOT_FOUND");
    const admin = await makeUser(db(), { role: "admin" });
    expect(await failureCode(issueApiToken(db(), mine.actor, { userId: admin.id, name: "escalate" }))).toBe("NOT_FOUND");
    const { record } = await issueApiToken(db(), theirs.actor, { userId: theirs.user.id, name: "theirs" });
    expect(await failureCode(revokeApiToken(db(), mine.actor, record.id))).toBe("NOT_FOUND");
    expect((await listApiTokens(db(), { resellerId: mine.reseller.id })).map((t) => t.id)).not.toContain(record.id);
    await revokeApiToken(db(), theirs.actor, record.id);
    const [row] = await db().select().from(apiTokens).where(eq(apiTokens.id, record.id));
    expect(row!.revokedAt).not.toBeNull();
  });

  it("revocation is effective on the next request; last use records time and address", async () => {
    const { user } = await resellerUser();
    const { token, record } = await issueApiToken(db(), adminActor, { userId: user.id, name: "till" });
    expect((await rawCall("GET", "/me", { token, headers: { "x-forwarded-for": "203.0.113.9" } })).status).toBe(200);
    const principal = await authenticateApiToken(db(), token, "198.51.100.7");
    expect(principal?.token.name).toBe("till");
    const [used] = await db().select().from(apiTokens).where(eq(apiTokens.id, record.id));
    expect(used!.lastUsedAt).not.toBeNull();
    expect(used!.lastUsedIp).toBe("198.51.100.7");
    // A malformed address is stored as null, never breaking the request.
    expect(await authenticateApiToken(db(), token, "fff")).not.toBeNull();
    await revokeApiToken(db(), adminActor, record.id);
    const refused = await rawCall("GET", "/me", { token });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ code: "TOKEN_INVALID" });
  });

  it("last use is written at most once a minute from the same address, at once from another", async () => {
    const { user } = await resellerUser();
    const { token, record } = await issueApiToken(db(), adminActor, { userId: user.id, name: "counter" });
    const lastUse = async () => (await db().select().from(apiTokens).where(eq(apiTokens.id, record.id)))[0]!;
    expect(await authenticateApiToken(db(), token, "198.51.100.7")).not.toBeNull();
    const first = await lastUse();
    expect(first.lastUsedIp).toBe("198.51.100.7");
    // Pretend the first use was 30 s ago: a use from the same address now writes nothing.
    await db().update(apiTokens).set({ lastUsedAt: new Date(first.lastUsedAt!.getTime() - 30_000) }).where(eq(apiTokens.id, record.id));
    const before = (await lastUse()).lastUsedAt!;
    expect(await authenticateApiToken(db(), token, "198.51.100.7")).not.toBeNull();
    expect((await lastUse()).lastUsedAt!.getTime()).toBe(before.getTime());
    // Another address is written at once.
    expect(await authenticateApiToken(db(), token, "198.51.100.8")).not.toBeNull();
    const moved = await lastUse();
    expect(moved.lastUsedIp).toBe("198.51.100.8");
    expect(moved.lastUsedAt!.getTime()).toBeGreaterThan(before.getTime());
    // A minute later, the same address is written again.
    await db().update(apiTokens).set({ lastUsedAt: new Date(moved.lastUsedAt!.getTime() - 61_000) }).where(eq(apiTokens.id, record.id));
    expect(await authenticateApiToken(db(), token, "198.51.100.8")).not.toBeNull();
    expect((await lastUse()).lastUsedAt!.getTime()).toBeGreaterThan(moved.lastUsedAt!.getTime() - 61_000);
  });

  it("the token pages' form issues one token however often it is submitted, and shows it only the first time", async () => {
    const { user } = await resellerUser();
    const key = randomUUID();
    const input = { userId: user.id, name: "double click", idempotencyKey: key };
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => issueApiTokenOnce(db(), adminActor, input)));
    const issued = results.filter((r) => r.status === "fulfilled");
    expect(issued).toHaveLength(1);
    for (const refused of results.filter((r) => r.status === "rejected")) {
      expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: "IDEMPOTENCY_CONFLICT" });
      expect(String((refused as PromiseRejectedResult).reason.message)).toContain("already issued");
      expect(String((refused as PromiseRejectedResult).reason.message)).not.toContain((issued[0] as PromiseFulfilledResult<{ token: string }>).value.token);
    }
    const rows = await db().select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    expect(rows.map((r) => r.name)).toEqual(["double click"]);
    // The key's stored result never holds the plain token.
    const stored = await db().execute(sql`select result::text as result from idempotency_keys where key = ${key}`);
    expect(String(stored[0]!.result)).not.toContain((issued[0] as PromiseFulfilledResult<{ token: string }>).value.token.slice(8));
    // A new key (Issue another) issues a new token.
    await issueApiTokenOnce(db(), adminActor, { ...input, idempotencyKey: randomUUID() });
    expect(await db().select().from(apiTokens).where(eq(apiTokens.userId, user.id))).toHaveLength(2);
  });

  it("the issue form refuses bad names, past expiry and silly rate limits", () => {
    const base = { userId: randomUUID(), name: "ok" };
    expect(issueApiTokenForm.safeParse({ ...base, name: " " }).success).toBe(false);
    expect(issueApiTokenForm.safeParse({ ...base, expiresOn: "2001-01-01" }).success).toBe(false);
    expect(issueApiTokenForm.safeParse({ ...base, rateLimit: "0" }).success).toBe(false);
    expect(issueApiTokenForm.safeParse({ ...base, rateLimit: "1.5" }).success).toBe(false);
    expect(issueApiTokenForm.parse({ ...base, rateLimit: "" }).rateLimit).toBeUndefined();
    expect(issueApiTokenForm.parse({ ...base, rateLimit: "120", expiresOn: "2999-12-31" })).toMatchObject({ rateLimit: 120, expiresOn: "2999-12-31" });
  });

  it("npm run api:token prints the token alone on its last line, and it works", async () => {
    const reseller = await makeReseller(db(), { permissions: allPermissions });
    const email = `ops-${randomUUID().slice(0, 8)}@example.test`;
    await makeUser(db(), { role: "reseller", resellerId: reseller.id, email });
    const { stdout } = await promisify(execFile)("npx", ["tsx", "--conditions=react-server", "scripts/api-token.ts", "--user", email.toUpperCase(), "--name", "script", "--scopes", "customers.view,finance.view"], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl() },
    });
    const lines = stdout.trim().split("\n");
    const token = lines[lines.length - 1]!;
    expect(token).toMatch(/^lm_live_[A-Za-z0-9_-]{43}$/);
    const me = await rawCall("GET", "/me", { token });
    expect(me.status).toBe(200);
    expect((await me.json()).token.scopes).toEqual(["customers.view", "finance.view"]);
    await db().update(resellers).set({ permissions: [] }).where(eq(resellers.id, reseller.id));
    expect((await rawCall("GET", "/customers", { token })).status).toBe(403);
  });
});
