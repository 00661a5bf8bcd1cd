-- lastmile_count_or_estimate, inlining its arguments in one pass: 0006 replaced
-- $n one number at a time, so an argument containing "$1" (a customer search
-- for "$1", say) was itself rewritten by a later replacement and could break
-- out of its quotes. Now the query is split at its $n markers once and each
-- value is quoted into place; values are never scanned again.
CREATE OR REPLACE FUNCTION lastmile_count_or_estimate(query text, exact_below integer, cap integer, args text[] DEFAULT '{}')
RETURNS TABLE (total bigint, estimated boolean)
LANGUAGE plpgsql AS $$
DECLARE
  pieces text[] := regexp_split_to_array(query, '\$[0-9]+');
  numbers integer[] := ARRAY(
    SELECT m.found[1]::integer
    FROM regexp_matches(query, '\$([0-9]+)', 'g') WITH ORDINALITY AS m(found, n)
    ORDER BY m.n);
  statement text := pieces[1];
  plan json;
  rows_estimate numeric;
  counted bigint;
BEGIN
  FOR i IN 1..coalesce(array_length(numbers, 1), 0) LOOP
    IF numbers[i] < 1 OR numbers[i] > coalesce(array_length(args, 1), 0) THEN
      RAISE EXCEPTION 'lastmile_count_or_estimate: no value for $%', numbers[i];
    END IF;
    statement := statement || quote_nullable(args[numbers[i]]) || pieces[i + 1];
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
