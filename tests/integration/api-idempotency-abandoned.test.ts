import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { apiIdempotency, apiTokens } from "@/db/schema";
import { ABANDONED_AFTER_SECONDS, claimIdempotencyKey, completeIdempotencyKey } from "@/lib/api/idempotency";
import { failureCode, makeUser } from "../support/factories";
import { db } from "../support/fresh-database";

// A process killed mid-request (or cut off from the database) never answers
// its HTTP Idempotency-Key nor lets it go. The key must not be stuck at
// REQUEST_IN_PROGRESS for ever: past ABANDONED_AFTER_SECONDS the next request
// under it takes it over (lib's command key keeps the money exactly-once).
async function slotFor() {
  const user = await makeUser(db(), { role: "admin" });
  const [token] = await db()
    .insert(apiTokens)
    .values({ name: "kiosk", kind: "admin", userId: user.id, scopes: [], prefix: "lm_test", tokenHash: crypto.randomUUID() })
    .returning();
  return { ownerUserId: user.id, key: crypto.randomUUID(), tokenId: token!.id, fingerprint: "same-request" };
}

async function backdate(slot: { ownerUserId: string; key: string }, seconds: number) {
  await db()
    .update(apiIdempotency)
    .set({ createdAt: sql`now() - make_interval(secs => ${seconds})` })
    .where(and(eq(apiIdempotency.ownerUserId, slot.ownerUserId), eq(apiIdempotency.key, slot.key)));
}

describe("an HTTP idempotency claim whose request never answered", () => {
  it("is taken over by the next request once it is older than the abandonment age", async () => {
    const slot = await slotFor();
    expect(await claimIdempotencyKey(db(), slot)).toEqual({ kind: "claimed" });
    await backdate(slot, ABANDONED_AFTER_SECONDS + 5);
    expect(await claimIdempotencyKey(db(), slot, 200)).toEqual({ kind: "claimed" });
    // The new claim is fresh: a third request waits for it, as for any request in progress.
    expect(await failureCode(claimIdempotencyKey(db(), slot, 200))).toBe("REQUEST_IN_PROGRESS");
  });

  it("is still waited for while younger than the abandonment age", async () => {
    const slot = await slotFor();
    await claimIdempotencyKey(db(), slot);
    await backdate(slot, ABANDONED_AFTER_SECONDS - 10);
    expect(await failureCode(claimIdempotencyKey(db(), slot, 200))).toBe("REQUEST_IN_PROGRESS");
  });

  it("an answered key is replayed however old it is, and another request under an abandoned key is still a conflict", async () => {
    const slot = await slotFor();
    await claimIdempotencyKey(db(), slot);
    await completeIdempotencyKey(db(), slot, { status: 201, body: "{\"ok\":true}" });
    await backdate(slot, ABANDONED_AFTER_SECONDS * 10);
    expect(await claimIdempotencyKey(db(), slot)).toEqual({ kind: "replay", response: { status: 201, body: "{\"ok\":true}" } });

    const other = await slotFor();
    await claimIdempotencyKey(db(), other);
    await backdate(other, ABANDONED_AFTER_SECONDS + 5);
    expect(await failureCode(claimIdempotencyKey(db(), { ...other, fingerprint: "another-request" }, 200))).toBe("IDEMPOTENCY_CONFLICT");
  });
});
