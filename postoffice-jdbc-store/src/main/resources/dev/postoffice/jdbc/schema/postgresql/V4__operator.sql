-- PostOffice JDBC store, schema version 4 (PostgreSQL): what the operator console needs.
-- The keyset search lists a route's entries newest first (created_at DESC, id DESC), a page after a cursor: this
-- index serves it as a range scan that stops after one page, with no sort. It leads with route, so it offers the
-- claim query no way to read other routes' entries (see V2); created_at and id never change, so claims stay HOT.
CREATE INDEX IF NOT EXISTS ${prefix}entry_route_created_idx ON ${prefix}entry (route, created_at DESC, id DESC);
-- What needs attention across routes (the console's first page: Rejected and Failed, newest first, no route):
-- partial, so only entries that failed are written to it, and a search for these statuses reads one page of
-- it. The search names the statuses as literals, so even a cached generic plan can use it.
CREATE INDEX IF NOT EXISTS ${prefix}entry_attention_idx ON ${prefix}entry (created_at DESC, id DESC)
  WHERE status IN ('FAILED', 'REJECTED');
-- Lookup by the id people hold (the partner's delivery id, the Core App's message id). Partial: only root
-- entries carry a dedup key, so outputs cost this index nothing.
CREATE INDEX IF NOT EXISTS ${prefix}entry_dedup_key_idx ON ${prefix}entry (dedup_key) WHERE dedup_key IS NOT NULL;

-- Paused routes: no node claims their entries; every engine reads this table about once a second.
CREATE TABLE IF NOT EXISTS ${prefix}route_pause (
  route     VARCHAR(100) NOT NULL PRIMARY KEY,
  paused_by VARCHAR(255) NOT NULL,
  paused_at BIGINT       NOT NULL
);

-- Bulk replay jobs. running_key is the hash of filter_key while the job runs, NULL once it ended: its unique index
-- makes two concurrent requests for the same filter produce one running job.
CREATE TABLE IF NOT EXISTS ${prefix}replay_job (
  id               VARCHAR(64)  NOT NULL PRIMARY KEY,
  filter_key       TEXT         NOT NULL,
  running_key      VARCHAR(64),
  requested_by     VARCHAR(255) NOT NULL,
  reason           TEXT         NOT NULL,
  state            VARCHAR(16)  NOT NULL,
  total            BIGINT       NOT NULL,
  replayed         BIGINT       NOT NULL,
  skipped          BIGINT       NOT NULL,
  cursor_value     VARCHAR(512),
  owner            VARCHAR(255),
  lease_expires_at BIGINT,
  detail           TEXT,
  created_at       BIGINT       NOT NULL,
  updated_at       BIGINT       NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS ${prefix}replay_job_running_idx ON ${prefix}replay_job (running_key);
CREATE INDEX IF NOT EXISTS ${prefix}replay_job_created_idx ON ${prefix}replay_job (created_at, id);
