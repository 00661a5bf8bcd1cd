-- Totals for large lists in one round trip: the planner's row estimate for a
-- query (EXPLAIN, nothing is read) and, only when that estimate is small, an
-- exact count that stops at `cap` rows. `query` is SQL written by the app with
-- parameters $1..$n; `args` are their values as text, inlined here as quoted
-- literals (quote_nullable), so the planner sees real values.
CREATE OR REPLACE FUNCTION lastmile_count_or_estimate(query text, exact_below integer, cap integer, args text[] DEFAULT '{}')
RETURNS TABLE (total bigint, estimated boolean)
LANGUAGE plpgsql AS $$
DECLARE
  statement text := query;
  plan json;
  rows_estimate numeric;
  counted bigint;
BEGIN
  -- Highest first, so $1 never matches the start of $10.
  FOR i IN REVERSE coalesce(array_length(args, 1), 0)..1 LOOP
    statement := replace(statement, '$' || i, quote_nullable(args[i]));
  END LOOP;
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || statement INTO plan;
  rows_estimate := (plan -> 0 -> 'Plan' ->> 'Plan Rows')::numeric;
  IF rows_estimate >= exact_below THEN
    RETURN QUERY SELECT round(rows_estimate)::bigint, true;
    RETURN;
  END IF;
  EXECUTE 'SELECT count(*) FROM (' || statement || ' LIMIT ' || cap::text || ') counted' INTO counted;
  RETURN QUERY SELECT counted, counted >= cap;
END;
$$;
