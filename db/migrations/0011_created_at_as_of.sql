-- Every created_at defaults to lastmile_now(): the transaction's now(), unless
-- the transaction set `lastmile.as_of` to an instant (set_config(..., true),
-- i.e. SET LOCAL). Only the demo seed does that, so that a quarter of history
-- posted through the real billing commands lands on the days it belongs to,
-- with the append-only triggers, the daily totals (keyed on created_at's day)
-- and every invariant as they are for live postings. It gives no role a power
-- it lacked: a role that may INSERT could already name created_at itself.
CREATE OR REPLACE FUNCTION lastmile_now() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(nullif(current_setting('lastmile.as_of', true), '')::timestamptz, now())
$$;
--> statement-breakpoint
ALTER TABLE "areas" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "customer_payments" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "customers" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "idempotency_keys" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "journal_entries" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "ledger_entries" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "online_payments" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "packages" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "resellers" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "sign_in_attempts" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "subscriptions" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();--> statement-breakpoint
ALTER TABLE "users" ALTER COLUMN "created_at" SET DEFAULT lastmile_now();