CREATE TYPE "public"."gateway_mode" AS ENUM('live', 'test', 'sandbox');--> statement-breakpoint
CREATE TYPE "public"."online_payment_status" AS ENUM('pending', 'paid', 'failed', 'expired', 'canceled', 'flagged');--> statement-breakpoint
CREATE TABLE "online_payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"reseller_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" "online_payment_status" DEFAULT 'pending' NOT NULL,
	"gateway_mode" "gateway_mode" NOT NULL,
	"checkout_session_id" text,
	"checkout_url" text,
	"payment_intent_id" text,
	"started_by_user_id" uuid,
	"started_by_label" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"ledger_entry_id" bigint,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	CONSTRAINT "online_payments_amount_positive" CHECK ("online_payments"."amount" > 0),
	CONSTRAINT "online_payments_currency_iso" CHECK ("online_payments"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "online_payments_paid_has_entry" CHECK ("online_payments"."status" <> 'paid' or "online_payments"."ledger_entry_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "payment_settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"online_enabled" boolean DEFAULT true NOT NULL,
	"min_amount" bigint,
	"max_amount" bigint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by_user_id" uuid,
	CONSTRAINT "payment_settings_single_row" CHECK ("payment_settings"."id"),
	CONSTRAINT "payment_settings_amounts" CHECK (("payment_settings"."min_amount" is null or "payment_settings"."min_amount" > 0) and ("payment_settings"."max_amount" is null or "payment_settings"."max_amount" > 0))
);
--> statement-breakpoint
CREATE TABLE "stripe_events" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"livemode" boolean NOT NULL,
	"checkout_session_id" text,
	"online_payment_id" uuid,
	"outcome" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "online_payments" ADD CONSTRAINT "online_payments_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_payments" ADD CONSTRAINT "online_payments_started_by_user_id_users_id_fk" FOREIGN KEY ("started_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "online_payments" ADD CONSTRAINT "online_payments_ledger_entry_id_ledger_entries_id_fk" FOREIGN KEY ("ledger_entry_id") REFERENCES "public"."ledger_entries"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_settings" ADD CONSTRAINT "payment_settings_updated_by_user_id_users_id_fk" FOREIGN KEY ("updated_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stripe_events" ADD CONSTRAINT "stripe_events_online_payment_id_online_payments_id_fk" FOREIGN KEY ("online_payment_id") REFERENCES "public"."online_payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "online_payments_checkout_session_unique" ON "online_payments" USING btree ("checkout_session_id");--> statement-breakpoint
CREATE UNIQUE INDEX "online_payments_idempotency_key_unique" ON "online_payments" USING btree ("idempotency_key");--> statement-breakpoint
CREATE UNIQUE INDEX "online_payments_ledger_entry_unique" ON "online_payments" USING btree ("ledger_entry_id");--> statement-breakpoint
CREATE INDEX "online_payments_reseller_idx" ON "online_payments" USING btree ("reseller_id","created_at");--> statement-breakpoint
CREATE INDEX "online_payments_created_idx" ON "online_payments" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "online_payments_payment_intent_idx" ON "online_payments" USING btree ("payment_intent_id");--> statement-breakpoint
CREATE INDEX "online_payments_open_idx" ON "online_payments" USING btree ("status","created_at") WHERE "online_payments"."status" in ('pending', 'flagged');--> statement-breakpoint
CREATE INDEX "stripe_events_payment_idx" ON "stripe_events" USING btree ("online_payment_id");--> statement-breakpoint
CREATE INDEX "stripe_events_received_idx" ON "stripe_events" USING btree ("received_at");--> statement-breakpoint
-- Online payments are never deleted, and what was agreed (reseller, amount, currency, session) and credited never changes.
CREATE OR REPLACE FUNCTION lastmile_online_payment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'online_payments rows are never deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  IF NEW.reseller_id <> OLD.reseller_id OR NEW.amount <> OLD.amount OR NEW.currency <> OLD.currency
     OR NEW.idempotency_key <> OLD.idempotency_key
     OR (OLD.checkout_session_id IS NOT NULL AND NEW.checkout_session_id IS DISTINCT FROM OLD.checkout_session_id)
     OR (OLD.ledger_entry_id IS NOT NULL AND NEW.ledger_entry_id IS DISTINCT FROM OLD.ledger_entry_id) THEN
    RAISE EXCEPTION 'online payment %: reseller, amount, currency, session and credit are fixed once set', OLD.id
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER online_payments_guard BEFORE UPDATE OR DELETE ON online_payments
  FOR EACH ROW EXECUTE FUNCTION lastmile_online_payment_guard();
--> statement-breakpoint
CREATE TRIGGER online_payments_no_truncate BEFORE TRUNCATE ON online_payments
  FOR EACH STATEMENT EXECUTE FUNCTION lastmile_refuse_change();
--> statement-breakpoint
CREATE TRIGGER stripe_events_no_delete BEFORE DELETE ON stripe_events
  FOR EACH ROW EXECUTE FUNCTION lastmile_refuse_change();
--> statement-breakpoint
CREATE TRIGGER stripe_events_no_truncate BEFORE TRUNCATE ON stripe_events
  FOR EACH STATEMENT EXECUTE FUNCTION lastmile_refuse_change();
