import "server-only";
import { createHash } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db, Queryable } from "@/db/client";
import { apiIdempotency } from "@/db/schema";
import { DomainError } from "@/lib/errors";

// HTTP idempotency with Stripe's semantics, on top of the money commands' own
// keys (lib/billing/idempotency): the first response to a key is stored
// (status and body) and a repeat with the same request gets exactly that
// response again; the same key with another request is a conflict; a repeat
// while the first is still running waits for it, then answers 409
// REQUEST_IN_PROGRESS. Keys belong to the token's owner (two owners' keys
// never meet). The command key handed to lib is derived from the owner and
// the HTTP key, so even a retry after a lost response posts money once.

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The request a key was first used for: method, route, and the body as JSON with sorted keys. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  const canonical = JSON.stringify(body ?? null, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
  return createHash("sha256").update(method).update("\0").update(path).update("\0").update(canonical).digest("hex");
}

/** The key lib's money command runs under: a UUID (version 5 layout) from the owner and the client's key. */
export function commandKeyFor(ownerUserId: string, key: string): string {
  const h = createHash("sha256").update("lastmile-api\0").update(ownerUserId).update("\0").update(key).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export type StoredResponse = { status: number; body: string };
export type Claim = { kind: "claimed" } | { kind: "replay"; response: StoredResponse };

type Slot = { ownerUserId: string; key: string };

const WAIT_MS = 10_000;
const POLL_MS = 20;
/**
 * A claim this old with no answer was abandoned: its process died (killed,
 * crashed, or lost the database before it could let the key go). Far longer
 * than any request runs. The next request under the key takes it over; money
 * stays safe because lib's command key is the same on the retry, so a command
 * that did commit replays instead of posting again.
 */
export const ABANDONED_AFTER_SECONDS = 60;

/**
 * Claims the key for this request, or returns the stored first response.
 * Throws IDEMPOTENCY_CONFLICT (another request under the key) or, after
 * waiting up to 10 s for the first request to finish, REQUEST_IN_PROGRESS.
 * A claim left unanswered past ABANDONED_AFTER_SECONDS is taken over.
 */
export async function claimIdempotencyKey(db: Queryable, slot: Slot & { tokenId: string; fingerprint: string }, waitMs = WAIT_MS): Promise<Claim> {
  const inserted = await db
    .insert(apiIdempotency)
    .values({ ownerUserId: slot.ownerUserId, key: slot.key, tokenId: slot.tokenId, fingerprint: slot.fingerprint })
    .onConflictDoNothing()
    .returning({ key: apiIdempotency.key });
  if (inserted.length) return { kind: "claimed" };
  const deadline = Date.now() + waitMs;
  for (;;) {
    const [row] = await db
      .select({
        fingerprint: apiIdempotency.fingerprint,
        status: apiIdempotency.status,
        body: apiIdempotency.body,
        abandoned: sql<boolean>`${apiIdempotency.createdAt} < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})`,
      })
      .from(apiIdempotency)
      .where(and(eq(apiIdempotency.ownerUserId, slot.ownerUserId), eq(apiIdempotency.key, slot.key)));
    if (!row) {
      // The first request failed without an answer and let the key go: take it.
      return claimIdempotencyKey(db, slot, Math.max(0, deadline - Date.now()));
    }
    if (row.fingerprint !== slot.fingerprint) {
      throw new DomainError("IDEMPOTENCY_CONFLICT", "This Idempotency-Key was already used with a different request (method, path or body). Use a new key for a new operation.");
    }
    if (row.status !== null) return { kind: "replay", response: { status: row.status, body: row.body ?? "" } };
    if (row.abandoned) {
      // Let the dead claim go (only if still unanswered and old), then claim the key afresh.
      await db
        .delete(apiIdempotency)
        .where(
          and(
            eq(apiIdempotency.ownerUserId, slot.ownerUserId),
            eq(apiIdempotency.key, slot.key),
            isNull(apiIdempotency.status),
            sql`${apiIdempotency.createdAt} < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})`,
          ),
        );
      continue;
    }
    if (Date.now() >= deadline) throw new DomainError("REQUEST_IN_PROGRESS");
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Stores the first response under the key. */
export async function completeIdempotencyKey(db: Queryable, slot: Slot, response: StoredResponse): Promise<void> {
  await db
    .update(apiIdempotency)
    .set({ status: response.status, body: response.body, completedAt: sql`now()` })
    .where(and(eq(apiIdempotency.ownerUserId, slot.ownerUserId), eq(apiIdempotency.key, slot.key), isNull(apiIdempotency.status)));
}

/**
 * Lets the key go after a failure with no answer worth keeping (a 5xx): the
 * client may retry under it. Money is still safe: lib's command key is the
 * same on the retry, so a command that did commit replays instead of posting.
 */
export async function releaseIdempotencyKey(db: Queryable, slot: Slot): Promise<void> {
  await db.delete(apiIdempotency).where(and(eq(apiIdempotency.ownerUserId, slot.ownerUserId), eq(apiIdempotency.key, slot.key), isNull(apiIdempotency.status)));
}

/*
 * The bookkeeping after an API request, in one prepared statement (one round
 * trip): the first answer stored under its key (when there is one to store)
 * and the call's audit row (when there is one to write), committed without
 * waiting for the disk. A crash can lose the last instant's request log, never
 * money: lib's command commits durably with its own audit row and its own
 * key, so a retry after a lost answer replays the command's result.
 */
const FINISH_SQL = `
with async_commit as (select set_config('synchronous_commit', 'off', true) as v),
answered as (
  update api_idempotency set status = $3::int, body = $4::text, completed_at = now()
  where $1::uuid is not null and owner_user_id = $1::uuid and key = $2::text and status is null
  returning 1
),
audited as (
  insert into audit_log (actor_user_id, actor_label, action, target_type, target_id, reseller_id, ip_address, details)
  select $5::uuid, $6::text, 'api.call', 'api_token', $7::text, $8::uuid, $9::text::inet, $10::text::jsonb
  where $5::uuid is not null
  returning 1
)
select (select v from async_commit) as async_commit, (select count(*) from answered) as answered, (select count(*) from audited) as audited`;

export type ApiCallRecord = {
  answer?: { slot: Slot; response: StoredResponse } | null;
  audit?: { actorUserId: string; actorLabel: string; tokenId: string; resellerId: string | null; ipAddress: string | null; details: Record<string, unknown> } | null;
};

/** Stores the answer under its key and audits the call (see FINISH_SQL); either part may be absent. */
export async function recordApiCall(db: Db, record: ApiCallRecord): Promise<void> {
  const { answer, audit } = record;
  if (!answer && !audit) return;
  await db.$client.unsafe(
    FINISH_SQL,
    [
      answer?.slot.ownerUserId ?? null,
      answer?.slot.key ?? null,
      answer?.response.status ?? null,
      answer?.response.body ?? null,
      audit?.actorUserId ?? null,
      audit?.actorLabel ?? null,
      audit?.tokenId ?? null,
      audit?.resellerId ?? null,
      audit?.ipAddress ?? null,
      audit ? JSON.stringify(audit.details) : null,
    ],
    { prepare: true },
  );
}
