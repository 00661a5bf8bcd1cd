CREATE TABLE "ledger_daily_totals" (
	"reseller_id" uuid NOT NULL,
	"kind" "ledger_kind" NOT NULL,
	"day" date NOT NULL,
	"credits" bigint NOT NULL,
	"debits" bigint NOT NULL,
	"entries" bigint NOT NULL,
	"cum_credits" bigint NOT NULL,
	"cum_debits" bigint NOT NULL,
	"cum_entries" bigint NOT NULL,
	CONSTRAINT "ledger_daily_totals_reseller_id_kind_day_pk" PRIMARY KEY("reseller_id","kind","day")
);
--> statement-breakpoint
ALTER TABLE "ledger_daily_totals" ADD CONSTRAINT "ledger_daily_totals_reseller_id_resellers_id_fk" FOREIGN KEY ("reseller_id") REFERENCES "public"."resellers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customers_reseller_username_idx" ON "customers" USING btree ("reseller_id","username","id");--> statement-breakpoint
CREATE INDEX "customers_reseller_suspended_idx" ON "customers" USING btree ("reseller_id","name","id") WHERE "customers"."status" = 'suspended';--> statement-breakpoint
CREATE INDEX "customers_search_trgm_idx" ON "customers" USING gin (("name" || ' ' || "username" || ' ' || coalesce("phone", '')) gin_trgm_ops);