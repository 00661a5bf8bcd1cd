-- Receipts are history like the ledger: a wrong one is answered by a reversal, never rewritten or removed.
CREATE TRIGGER customer_payments_append_only BEFORE UPDATE OR DELETE ON customer_payments
  FOR EACH ROW EXECUTE FUNCTION lastmile_refuse_change();
--> statement-breakpoint
CREATE TRIGGER customer_payments_no_truncate BEFORE TRUNCATE ON customer_payments
  FOR EACH STATEMENT EXECUTE FUNCTION lastmile_refuse_change();
--> statement-breakpoint
-- The daily totals are written by the ledger's trigger alone. The app role may
-- only read them, so the trigger runs with its owner's rights (SECURITY
-- DEFINER), with a fixed search_path so nothing on the caller's path can stand
-- in for the tables it writes.
ALTER FUNCTION lastmile_ledger_daily_totals() SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp;
--> statement-breakpoint
-- Not even the owner changes a total by hand: a row is inserted or updated
-- only from inside the ledger's trigger (trigger depth 1 or more).
CREATE OR REPLACE FUNCTION lastmile_refuse_direct_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is kept by the ledger''s trigger: % by hand is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_daily_totals_only_by_trigger BEFORE INSERT OR UPDATE ON ledger_daily_totals
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION lastmile_refuse_direct_change();
