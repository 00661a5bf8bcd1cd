import { sql, type SQLWrapper } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  inet,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

// Money is always an integer count of minor units; `mode: "bigint"` keeps it
// a JS bigint end to end so nothing passes through a float.
const money = (name: string) => bigint(name, { mode: "bigint" });
/**
 * When a row was written: lastmile_now() is now(), unless the transaction set
 * `lastmile.as_of` (migration 0011), which only the demo seed does to lay a
 * quarter of history on the days it belongs to.
 */
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().default(sql`lastmile_now()`);

export const userRole = pgEnum("user_role", ["admin", "reseller"]);
export const resellerType = pgEnum("reseller_type", ["prepaid", "postpaid"]);
export const resellerStatus = pgEnum("reseller_status", ["active", "suspended"]);
export const customerStatus = pgEnum("customer_status", ["active", "suspended"]);
export const subscriptionKind = pgEnum("subscription_kind", ["activation", "renewal"]);
export const ledgerKind = pgEnum("ledger_kind", [
  "balance_added",
  "cash_received",
  "online_payment",
  "activation",
  "renewal",
  "reversal",
]);
export const paymentMethod = pgEnum("payment_method", ["cash", "bank_transfer", "mobile_money", "card", "other"]);
export const cashSource = pgEnum("cash_source", ["reseller_action", "accounts_receivable", "online_payment"]);
export const journalAccount = pgEnum("journal_account", ["cash", "gateway_clearing", "reseller_accounts", "revenue"]);
export const onlinePaymentStatus = pgEnum("online_payment_status", ["pending", "paid", "failed", "expired", "canceled", "flagged"]);
export const gatewayMode = pgEnum("gateway_mode", ["live", "test", "sandbox"]);

export const resellers = pgTable(
  "resellers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    contactName: text("contact_name"),
    phone: text("phone"),
    email: text("email"),
    type: resellerType("type").notNull(),
    status: resellerStatus("status").notNull().default("active"),
    balance: money("balance").notNull().default(sql`0`),
    collectionLimit: money("collection_limit").notNull().default(sql`0`),
    currency: text("currency").notNull(),
    permissions: text("permissions").array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("resellers_name_unique").on(sql`lower(${t.name})`),
    check("resellers_collection_limit_non_negative", sql`${t.collectionLimit} >= 0`),
    check("resellers_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull(),
    resellerId: uuid("reseller_id").references(() => resellers.id),
    disabled: boolean("disabled").notNull().default(false),
    /** Sessions signed in before this instant are refused (set when the user is disabled or its reseller suspended). */
    sessionsRevokedAt: timestamp("sessions_revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("users_email_unique").on(sql`lower(${t.email})`),
    index("users_reseller_idx").on(t.resellerId),
    check(
      "users_role_matches_reseller",
      sql`(${t.role} = 'reseller') = (${t.resellerId} IS NOT NULL)`,
    ),
  ],
);

export const areas = pgTable(
  "areas",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("areas_name_unique").on(sql`lower(${t.name})`)],
);

export const resellerAreas = pgTable(
  "reseller_areas",
  {
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    areaId: uuid("area_id").notNull().references(() => areas.id),
  },
  (t) => [primaryKey({ columns: [t.resellerId, t.areaId] }), index("reseller_areas_area_idx").on(t.areaId)],
);

export const packages = pgTable(
  "packages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    customerPrice: money("customer_price").notNull(),
    validityDays: integer("validity_days").notNull(),
    downloadMbps: integer("download_mbps").notNull(),
    uploadMbps: integer("upload_mbps").notNull(),
    /** RADIUS: the router's address pool for this package's customers (Framed-Pool), if any. */
    framedPool: text("framed_pool"),
    /** RADIUS: how many sessions one customer may have open at once (Simultaneous-Use). */
    simultaneousUse: integer("simultaneous_use").notNull().default(1),
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("packages_name_unique").on(sql`lower(${t.name})`),
    check("packages_price_positive", sql`${t.customerPrice} > 0`),
    check("packages_validity_positive", sql`${t.validityDays} between 1 and 3660`),
    check("packages_speed_positive", sql`${t.downloadMbps} > 0 and ${t.uploadMbps} > 0`),
    check("packages_simultaneous_use_range", sql`${t.simultaneousUse} between 1 and 100`),
    check("packages_framed_pool_safe", sql`${t.framedPool} ~ '^[A-Za-z0-9._-]{1,64}$'`),
  ],
);

/** A package is in a reseller's scope exactly when it has a rate here. */
export const resellerPackageRates = pgTable(
  "reseller_package_rates",
  {
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    packageId: uuid("package_id").notNull().references(() => packages.id),
    rate: money("rate").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.resellerId, t.packageId] }),
    index("reseller_package_rates_package_idx").on(t.packageId),
    check("reseller_package_rates_rate_positive", sql`${t.rate} > 0`),
  ],
);

/**
 * The text customer search matches: name, username and phone. The trigram
 * index `customers_search_trgm_idx` is built on this expression and every
 * customer search filters on it, so they cannot drift apart (a query on any
 * other expression silently stops using the index).
 */
export const customerSearchText = (c: { name: SQLWrapper; username: SQLWrapper; phone: SQLWrapper }) =>
  sql`(${c.name} || ' ' || ${c.username} || ' ' || coalesce(${c.phone}, ''))`;

export const customers = pgTable(
  "customers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    areaId: uuid("area_id").notNull().references(() => areas.id),
    username: text("username").notNull(),
    name: text("name").notNull(),
    phone: text("phone"),
    address: text("address"),
    status: customerStatus("status").notNull().default("active"),
    /**
     * The PPPoE/hotspot password the router asks for (RADIUS Cleartext-Password,
     * since CHAP and MS-CHAP need the clear text). Generated by the database
     * when the customer is created; the reseller sees it and can reset it.
     */
    servicePassword: text("service_password").notNull().default(sql`substr(md5(gen_random_uuid()::text), 1, 16)`),
    /** Latest subscription expiry, kept by billing so lists can sort and filter by it. */
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("customers_username_unique").on(sql`lower(${t.username})`),
    index("customers_reseller_created_idx").on(t.resellerId, t.createdAt, t.id),
    index("customers_reseller_name_idx").on(t.resellerId, t.name, t.id),
    index("customers_reseller_expires_idx").on(t.resellerId, t.expiresAt, t.id),
    index("customers_reseller_username_idx").on(t.resellerId, t.username, t.id),
    // The area filter with the default sort (name), and a count of one area that can stop early.
    index("customers_reseller_area_name_idx").on(t.resellerId, t.areaId, t.name, t.id),
    index("customers_area_idx").on(t.areaId),
    // Few customers are suspended: the "suspended" filter reads this small index, already in name order.
    index("customers_reseller_suspended_idx").on(t.resellerId, t.name, t.id).where(sql`${t.status} = 'suspended'`),
    // Search by name, username or phone (ILIKE '%…%'); needs the pg_trgm extension (migration 0002).
    index("customers_search_trgm_idx").using("gin", sql`${customerSearchText(t)} gin_trgm_ops`),
    // Also customers_reseller_lower_username_idx (reseller_id, lower(username)) INCLUDE (username), written in SQL in
    // migration 0020 (drizzle has no INCLUDE): Online now's reseller scope, an index-only probe per open session.
  ],
);

export const subscriptions = pgTable(
  "subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    customerId: uuid("customer_id").notNull().references(() => customers.id),
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    packageId: uuid("package_id").notNull().references(() => packages.id),
    kind: subscriptionKind("kind").notNull(),
    /** For a renewal, the period it extends. */
    renewsSubscriptionId: uuid("renews_subscription_id"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    priceCharged: money("price_charged").notNull(),
    customerPrice: money("customer_price").notNull(),
    /** Set when the charge for this period is reversed; the period then no longer counts. */
    reversedAt: timestamp("reversed_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("subscriptions_customer_idx").on(t.customerId, t.expiresAt),
    index("subscriptions_reseller_idx").on(t.resellerId, t.createdAt),
    check("subscriptions_period_valid", sql`${t.expiresAt} > ${t.startsAt}`),
    check("subscriptions_price_positive", sql`${t.priceCharged} > 0`),
  ],
);

/**
 * The reseller ledger: append-only (a trigger refuses UPDATE and DELETE).
 * `amount` is signed: credits raise the balance, charges lower it.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    kind: ledgerKind("kind").notNull(),
    amount: money("amount").notNull(),
    balanceAfter: money("balance_after").notNull(),
    /** The reseller's terms in force when the entry was written. */
    resellerType: resellerType("reseller_type").notNull(),
    collectionLimit: money("collection_limit").notNull(),
    actorUserId: uuid("actor_user_id").references(() => users.id),
    actorLabel: text("actor_label").notNull(),
    note: text("note"),
    method: paymentMethod("method"),
    source: cashSource("source"),
    externalReference: text("external_reference"),
    receivedOn: date("received_on"),
    customerId: uuid("customer_id").references(() => customers.id),
    subscriptionId: uuid("subscription_id").references(() => subscriptions.id),
    paymentReference: text("payment_reference"),
    reversesEntryId: bigint("reverses_entry_id", { mode: "number" }),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("ledger_entries_idempotency_key_unique").on(t.idempotencyKey),
    uniqueIndex("ledger_entries_reverses_unique").on(t.reversesEntryId),
    // One charge per activation/renewal, one credit per settled payment.
    uniqueIndex("ledger_entries_one_charge_per_subscription")
      .on(t.subscriptionId)
      .where(sql`${t.kind} in ('activation', 'renewal')`),
    uniqueIndex("ledger_entries_one_credit_per_payment")
      .on(t.paymentReference)
      .where(sql`${t.kind} = 'online_payment'`),
    index("ledger_entries_reseller_id_idx").on(t.resellerId, t.id),
    index("ledger_entries_reseller_kind_idx").on(t.resellerId, t.kind, t.id),
    index("ledger_entries_reseller_created_idx").on(t.resellerId, t.createdAt),
    // The admin's views across resellers by date (dashboard days, this month): a range, not the whole ledger.
    index("ledger_entries_created_idx").on(t.createdAt),
    check("ledger_entries_amount_non_zero", sql`${t.amount} <> 0`),
    check(
      "ledger_entries_sign_matches_kind",
      sql`(${t.kind} in ('activation','renewal') and ${t.amount} < 0)
        or (${t.kind} in ('balance_added','cash_received','online_payment') and ${t.amount} > 0)
        or (${t.kind} = 'reversal' and ${t.reversesEntryId} is not null)`,
    ),
  ],
);

/**
 * Per reseller, kind and UTC day: the credits, debits and entry count of the
 * ledger, and their running totals up to and including that day. Kept by an
 * AFTER INSERT trigger on ledger_entries (migration 0004), never written by the
 * app; it lets a statement total any date range with two index probes per kind
 * instead of summing every entry.
 */
export const ledgerDailyTotals = pgTable(
  "ledger_daily_totals",
  {
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    kind: ledgerKind("kind").notNull(),
    day: date("day").notNull(),
    credits: money("credits").notNull(),
    debits: money("debits").notNull(),
    entries: bigint("entries", { mode: "number" }).notNull(),
    cumCredits: money("cum_credits").notNull(),
    cumDebits: money("cum_debits").notNull(),
    cumEntries: bigint("cum_entries", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.resellerId, t.kind, t.day] })],
);

/** Double-entry journal: every entry's lines sum to zero (deferred trigger). Debits positive. */
export const journalEntries = pgTable("journal_entries", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  ledgerEntryId: bigint("ledger_entry_id", { mode: "number" })
    .notNull()
    .references(() => ledgerEntries.id)
    .unique(),
  memo: text("memo").notNull(),
  createdAt: createdAt(),
});

export const journalLines = pgTable(
  "journal_lines",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    journalEntryId: bigint("journal_entry_id", { mode: "number" })
      .notNull()
      .references(() => journalEntries.id),
    account: journalAccount("account").notNull(),
    resellerId: uuid("reseller_id").references(() => resellers.id),
    amount: money("amount").notNull(),
  },
  (t) => [
    index("journal_lines_entry_idx").on(t.journalEntryId),
    index("journal_lines_account_idx").on(t.account, t.resellerId),
    check("journal_lines_amount_non_zero", sql`${t.amount} <> 0`),
  ],
);

/** The reseller's own cash book: money it collected from its customers. */
export const customerPayments = pgTable(
  "customer_payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    receiptNumber: bigint("receipt_number", { mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    customerId: uuid("customer_id").notNull().references(() => customers.id),
    amount: money("amount").notNull(),
    method: paymentMethod("method").notNull(),
    reference: text("reference"),
    note: text("note"),
    collectedByUserId: uuid("collected_by_user_id").references(() => users.id),
    idempotencyKey: text("idempotency_key").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("customer_payments_idempotency_key_unique").on(t.idempotencyKey),
    uniqueIndex("customer_payments_receipt_unique").on(t.receiptNumber),
    index("customer_payments_reseller_idx").on(t.resellerId, t.createdAt),
    index("customer_payments_customer_idx").on(t.customerId),
    check("customer_payments_amount_positive", sql`${t.amount} > 0`),
  ],
);

/**
 * Results of idempotent commands: the same key returns the first result; the
 * same key with another payload (fingerprint) is a conflict.
 */
export const idempotencyKeys = pgTable("idempotency_keys", {
  key: text("key").primaryKey(),
  command: text("command").notNull(),
  fingerprint: text("fingerprint").notNull(),
  result: jsonb("result").notNull(),
  createdAt: createdAt(),
});

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorUserId: uuid("actor_user_id").references(() => users.id),
    actorLabel: text("actor_label").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    resellerId: uuid("reseller_id").references(() => resellers.id),
    ipAddress: inet("ip_address"),
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_created_idx").on(t.createdAt, t.id),
    index("audit_log_action_idx").on(t.action, t.createdAt),
    index("audit_log_reseller_idx").on(t.resellerId, t.createdAt),
  ],
);

/** Failed sign-ins, kept in PostgreSQL so the rate limit holds across instances. */
/**
 * One row per sign-in. The session cookie names its row; signing out revokes
 * the row, so a copied cookie stops working too, and no session outlives
 * `expires_at` (an absolute lifetime from sign-in) however often it is refreshed.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    ipAddress: inet("ip_address"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);

export const signInAttempts = pgTable(
  "sign_in_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(),
    ipAddress: text("ip_address").notNull(),
    succeeded: boolean("succeeded").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("sign_in_attempts_email_idx").on(t.email, t.createdAt),
    index("sign_in_attempts_ip_idx").on(t.ipAddress, t.createdAt),
  ],
);

/**
 * One row per attempt to pay the admin online. Only the gateway's word (the
 * signed webhook, or the session retrieved from the gateway) moves it out of
 * `pending`; the credit it posts is the ledger entry whose idempotency key is
 * the Checkout Session id.
 */
export const onlinePayments = pgTable(
  "online_payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    resellerId: uuid("reseller_id").notNull().references(() => resellers.id),
    amount: money("amount").notNull(),
    currency: text("currency").notNull(),
    status: onlinePaymentStatus("status").notNull().default("pending"),
    gatewayMode: gatewayMode("gateway_mode").notNull(),
    /** The Checkout Session (`cs_…`), known once the gateway created it. */
    checkoutSessionId: text("checkout_session_id"),
    checkoutUrl: text("checkout_url"),
    paymentIntentId: text("payment_intent_id"),
    startedByUserId: uuid("started_by_user_id").references(() => users.id),
    startedByLabel: text("started_by_label").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /**
     * Starts tried again after a gateway error. The gateway replays an error for
     * the same idempotency key, so attempt n > 0 asks under "<key>:retry-n".
     */
    gatewayAttempt: integer("gateway_attempt").notNull().default(0),
    ledgerEntryId: bigint("ledger_entry_id", { mode: "number" }).references(() => ledgerEntries.id),
    /** Why it failed or was flagged for the admin. */
    reason: text("reason"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    settledAt: timestamp("settled_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("online_payments_checkout_session_unique").on(t.checkoutSessionId),
    uniqueIndex("online_payments_idempotency_key_unique").on(t.idempotencyKey),
    uniqueIndex("online_payments_ledger_entry_unique").on(t.ledgerEntryId),
    index("online_payments_reseller_idx").on(t.resellerId, t.createdAt),
    index("online_payments_created_idx").on(t.createdAt, t.id),
    index("online_payments_payment_intent_idx").on(t.paymentIntentId),
    // The admin dashboard and reconciliation look for these few rows.
    index("online_payments_open_idx").on(t.status, t.createdAt).where(sql`${t.status} in ('pending', 'flagged')`),
    check("online_payments_amount_positive", sql`${t.amount} > 0`),
    check("online_payments_currency_iso", sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check("online_payments_paid_has_entry", sql`${t.status} <> 'paid' or ${t.ledgerEntryId} is not null`),
  ],
);

/** Every gateway event received, by its id: a seen event is answered and never applied twice. */
export const stripeEvents = pgTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    livemode: boolean("livemode").notNull(),
    checkoutSessionId: text("checkout_session_id"),
    onlinePaymentId: uuid("online_payment_id").references(() => onlinePayments.id),
    /** What handling it did, in words (credited, ignored: …, flagged: …). */
    outcome: text("outcome"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("stripe_events_payment_idx").on(t.onlinePaymentId), index("stripe_events_received_idx").on(t.receivedAt)],
);

/** The install's online payment settings: one row (id = true). Amounts null mean the defaults. */
export const paymentSettings = pgTable(
  "payment_settings",
  {
    id: boolean("id").primaryKey().default(true),
    onlineEnabled: boolean("online_enabled").notNull().default(true),
    minAmount: money("min_amount"),
    maxAmount: money("max_amount"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedByUserId: uuid("updated_by_user_id").references(() => users.id),
  },
  (t) => [
    check("payment_settings_single_row", sql`${t.id}`),
    check("payment_settings_amounts", sql`(${t.minAmount} is null or ${t.minAmount} > 0) and (${t.maxAmount} is null or ${t.maxAmount} > 0)`),
  ],
);

export const apiTokenKind = pgEnum("api_token_kind", ["admin", "reseller"]);

/**
 * API tokens (`Authorization: Bearer lm_live_…`). Only the SHA-256 of the
 * token is kept; `prefix` is its first characters, shown in lists so an owner
 * can tell tokens apart. A reseller token acts as its owner, a user of that
 * reseller, with at most `scopes` (reseller permissions, intersected with the
 * reseller's own at every request); an admin token acts as an admin user with
 * admin scopes. Revoked or expired tokens are refused on the next request.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    kind: apiTokenKind("kind").notNull(),
    userId: uuid("user_id").notNull().references(() => users.id),
    resellerId: uuid("reseller_id").references(() => resellers.id),
    scopes: text("scopes").array().notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** Requests per minute; null is the install's default (LASTMILE_API_RATE_LIMIT). */
    rateLimit: integer("rate_limit"),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    lastUsedIp: text("last_used_ip"),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdByUserId: uuid("created_by_user_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_unique").on(t.tokenHash),
    index("api_tokens_user_idx").on(t.userId, t.createdAt),
    index("api_tokens_reseller_idx").on(t.resellerId, t.createdAt),
    check("api_tokens_kind_matches_reseller", sql`(${t.kind} = 'reseller') = (${t.resellerId} IS NOT NULL)`),
    check("api_tokens_rate_limit_positive", sql`${t.rateLimit} is null or ${t.rateLimit} between 1 and 100000`),
  ],
);

/** Requests per token per fixed one-minute window, in PostgreSQL so every app instance counts against the same budget. */
export const apiRateLimits = pgTable(
  "api_rate_limits",
  {
    tokenId: uuid("token_id").notNull().references(() => apiTokens.id),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.windowStart] }), index("api_rate_limits_window_idx").on(t.windowStart)],
);

/**
 * API requests with a missing, unknown, revoked or expired token, counted per
 * client address in a fixed window, so guessing tokens is throttled: past the
 * limit, every API request from that address is refused (429) before any
 * token is looked at, until the window ends.
 */
export const apiAuthFailures = pgTable(
  "api_auth_failures",
  {
    address: text("address").notNull(),
    windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.address, t.windowStart] }), index("api_auth_failures_window_idx").on(t.windowStart)],
);

/**
 * HTTP idempotency (Stripe's semantics) for API POSTs, keyed by the token
 * owner and the client's `Idempotency-Key`: the request's fingerprint, and
 * once it finished, the first response's status and body, replayed as is.
 * `status` null means the first request is still running.
 */
export const apiIdempotency = pgTable(
  "api_idempotency",
  {
    ownerUserId: uuid("owner_user_id").notNull().references(() => users.id),
    key: text("key").notNull(),
    tokenId: uuid("token_id").notNull().references(() => apiTokens.id),
    fingerprint: text("fingerprint").notNull(),
    status: integer("status"),
    body: text("body"),
    createdAt: createdAt(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.ownerUserId, t.key] }), index("api_idempotency_created_idx").on(t.createdAt)],
);

export type Reseller = typeof resellers.$inferSelect;
export type User = typeof users.$inferSelect;
export type Package = typeof packages.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type Subscription = typeof subscriptions.$inferSelect;
export type LedgerEntry = typeof ledgerEntries.$inferSelect;
export type LedgerKind = (typeof ledgerKind.enumValues)[number];
export type PaymentMethod = (typeof paymentMethod.enumValues)[number];
export type CashSource = (typeof cashSource.enumValues)[number];
export type ResellerType = (typeof resellerType.enumValues)[number];
export type OnlinePayment = typeof onlinePayments.$inferSelect;
export type OnlinePaymentStatus = (typeof onlinePaymentStatus.enumValues)[number];
export type GatewayMode = (typeof gatewayMode.enumValues)[number];
export type ApiToken = typeof apiTokens.$inferSelect;
export type ApiTokenKind = (typeof apiTokenKind.enumValues)[number];
