-- Online now at scale (100,000 customers, 1,000,000 radacct rows): the list
-- joins FreeRADIUS's sessions to customers by lowercased username. radacct's
-- columns stay exactly FreeRADIUS 3's; these are only indexes.
--
-- A reseller's scope: is this open session's username one of its customers'?
-- An index-only probe (username is included so the planner can use the index
-- alone), and, for the count, a merge join with the open sessions below.
CREATE INDEX IF NOT EXISTS "customers_reseller_lower_username_idx" ON "customers" ("reseller_id", lower("username")) INCLUDE ("username");
--> statement-breakpoint
-- Open sessions by lowercased username: the count's merge join and the
-- search's "customer matches" probe.
CREATE INDEX IF NOT EXISTS radacct_lastmile_open_lower_user_idx ON radius.radacct (lower(UserName)) INCLUDE (UserName) WHERE AcctStopTime IS NULL;
--> statement-breakpoint
-- The search's username and address halves (ILIKE '%…%').
CREATE INDEX IF NOT EXISTS radacct_lastmile_open_user_trgm_idx ON radius.radacct USING gin (UserName gin_trgm_ops) WHERE AcctStopTime IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS radacct_lastmile_open_address_trgm_idx ON radius.radacct USING gin (host(FramedIPAddress) gin_trgm_ops) WHERE AcctStopTime IS NULL;
