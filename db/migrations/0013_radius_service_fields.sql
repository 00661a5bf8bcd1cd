ALTER TABLE "customers" ADD COLUMN "service_password" text DEFAULT substr(md5(gen_random_uuid()::text), 1, 16) NOT NULL;--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "framed_pool" text;--> statement-breakpoint
ALTER TABLE "packages" ADD COLUMN "simultaneous_use" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_simultaneous_use_range" CHECK ("packages"."simultaneous_use" between 1 and 100);--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_framed_pool_safe" CHECK ("packages"."framed_pool" ~ '^[A-Za-z0-9._-]{1,64}$');