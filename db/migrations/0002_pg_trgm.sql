-- Trigram indexes let the customer list search name, username and phone with
-- ILIKE '%…%' without scanning every row. pg_trgm ships with PostgreSQL's
-- contrib modules and is a trusted extension (PG 13+), so the database owner
-- can create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
