CREATE TABLE "api_auth_failures" (
	"address" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "api_auth_failures_address_window_start_pk" PRIMARY KEY("address","window_start")
);
--> statement-breakpoint
CREATE INDEX "api_auth_failures_window_idx" ON "api_auth_failures" USING btree ("window_start");