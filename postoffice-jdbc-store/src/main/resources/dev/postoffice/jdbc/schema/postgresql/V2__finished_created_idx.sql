-- PostOffice JDBC store, schema version 2 (PostgreSQL).
-- The retention index on created_at holds finished entries only. Unfiltered, it offered the claim query a second
-- way to read due entries oldest first (the whole table in created_at order, filtered by route), which the
-- planner took when one route's backlog was a large share of the table: claims then read every older entry of
-- the other routes (730 ms per claim behind a million waiting entries of another route, against 8 ms on the
-- claim index). Partial, it cannot serve a claim, and retention, which only ever reads finished entries, still
-- uses it.
DROP INDEX IF EXISTS ${prefix}entry_created_idx;
CREATE INDEX IF NOT EXISTS ${prefix}entry_finished_created_idx ON ${prefix}entry (created_at)
  WHERE status NOT IN ('JUST_IN', 'RETRYING');
