-- ledger_daily_totals: per reseller, kind and UTC day, the credits, debits and
-- entry count of the ledger plus running totals (cum_*) up to that day, so a
-- statement can total any date range with two index probes per kind.
-- Kept by a statement-level AFTER INSERT trigger on ledger_entries (the ledger
-- is append-only, so inserts are the only change to follow).

-- No ledger entry may be written while the existing ones are summed.
LOCK TABLE ledger_entries IN SHARE MODE;
--> statement-breakpoint
INSERT INTO ledger_daily_totals (reseller_id, kind, day, credits, debits, entries, cum_credits, cum_debits, cum_entries)
SELECT reseller_id, kind, day, credits, debits, entries,
       sum(credits) OVER run, sum(debits) OVER run, sum(entries) OVER run
FROM (
  SELECT reseller_id, kind, (created_at AT TIME ZONE 'UTC')::date AS day,
         coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS credits,
         coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS debits,
         count(*) AS entries
  FROM ledger_entries
  GROUP BY 1, 2, 3
) g
WINDOW run AS (PARTITION BY reseller_id, kind ORDER BY day);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION lastmile_ledger_daily_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- 1. Upsert one row per (reseller, kind, day) touched. Its running total is
  --    the latest earlier (or same) day's, plus this statement's amounts up to
  --    that day (a bulk insert can span several days).
  WITH g AS (
    SELECT reseller_id, kind, (created_at AT TIME ZONE 'UTC')::date AS day,
           coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS credits,
           coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS debits,
           count(*) AS entries
    FROM new_entries
    GROUP BY 1, 2, 3
  ), w AS (
    SELECT g.*, sum(credits) OVER run AS run_credits, sum(debits) OVER run AS run_debits, sum(entries) OVER run AS run_entries
    FROM g
    WINDOW run AS (PARTITION BY reseller_id, kind ORDER BY day)
  )
  INSERT INTO ledger_daily_totals AS t (reseller_id, kind, day, credits, debits, entries, cum_credits, cum_debits, cum_entries)
  SELECT w.reseller_id, w.kind, w.day, w.credits, w.debits, w.entries,
         coalesce(p.cum_credits, 0) + w.run_credits,
         coalesce(p.cum_debits, 0) + w.run_debits,
         coalesce(p.cum_entries, 0) + w.run_entries
  FROM w
  LEFT JOIN LATERAL (
    SELECT e.cum_credits, e.cum_debits, e.cum_entries FROM ledger_daily_totals e
    WHERE e.reseller_id = w.reseller_id AND e.kind = w.kind AND e.day <= w.day
    ORDER BY e.day DESC LIMIT 1
  ) p ON true
  ON CONFLICT (reseller_id, kind, day) DO UPDATE SET
    credits = t.credits + excluded.credits,
    debits = t.debits + excluded.debits,
    entries = t.entries + excluded.entries,
    cum_credits = excluded.cum_credits,
    cum_debits = excluded.cum_debits,
    cum_entries = excluded.cum_entries;

  -- 2. Later days that already existed (an entry dated before another one
  --    already summed, e.g. a transaction that started before midnight) carry
  --    the new amounts in their running totals. Usually touches no row.
  WITH g AS (
    SELECT reseller_id, kind, (created_at AT TIME ZONE 'UTC')::date AS day,
           coalesce(sum(amount) FILTER (WHERE amount > 0), 0) AS credits,
           coalesce(-sum(amount) FILTER (WHERE amount < 0), 0) AS debits,
           count(*) AS entries
    FROM new_entries
    GROUP BY 1, 2, 3
  ), later AS (
    SELECT t2.reseller_id, t2.kind, t2.day, sum(g.credits) AS credits, sum(g.debits) AS debits, sum(g.entries) AS entries
    FROM g
    JOIN ledger_daily_totals t2 ON t2.reseller_id = g.reseller_id AND t2.kind = g.kind AND t2.day > g.day
    WHERE NOT EXISTS (SELECT 1 FROM g g2 WHERE g2.reseller_id = t2.reseller_id AND g2.kind = t2.kind AND g2.day = t2.day)
    GROUP BY 1, 2, 3
  )
  UPDATE ledger_daily_totals t SET
    cum_credits = t.cum_credits + later.credits,
    cum_debits = t.cum_debits + later.debits,
    cum_entries = t.cum_entries + later.entries
  FROM later
  WHERE t.reseller_id = later.reseller_id AND t.kind = later.kind AND t.day = later.day;

  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_daily_totals AFTER INSERT ON ledger_entries
  REFERENCING NEW TABLE AS new_entries
  FOR EACH STATEMENT EXECUTE FUNCTION lastmile_ledger_daily_totals();
--> statement-breakpoint
-- Derived from the append-only ledger: rows are updated by the trigger, never removed.
CREATE TRIGGER ledger_daily_totals_no_delete BEFORE DELETE ON ledger_daily_totals
  FOR EACH ROW EXECUTE FUNCTION lastmile_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_daily_totals_no_truncate BEFORE TRUNCATE ON ledger_daily_totals
  FOR EACH STATEMENT EXECUTE FUNCTION lastmile_refuse_change();
