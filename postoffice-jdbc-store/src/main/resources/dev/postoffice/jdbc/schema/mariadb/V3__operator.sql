-- PostOffice JDBC store, schema version 3 (MariaDB 10.6+, MySQL 8): what the operator console needs.

-- Paused routes: no node claims their entries; every engine reads this table about once a second.
CREATE TABLE IF NOT EXISTS ${prefix}route_pause (
  route     VARCHAR(100) NOT NULL PRIMARY KEY,
  paused_by VARCHAR(255) NOT NULL,
  paused_at BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Bulk replay jobs. running_key is the hash of filter_key while the job runs, NULL once it ended: its unique index
-- makes two concurrent requests for the same filter produce one running job.
CREATE TABLE IF NOT EXISTS ${prefix}replay_job (
  id               VARCHAR(64)  NOT NULL PRIMARY KEY,
  filter_key       MEDIUMTEXT   NOT NULL,
  running_key      VARCHAR(64),
  requested_by     VARCHAR(255) NOT NULL,
  reason           MEDIUMTEXT   NOT NULL,
  state            VARCHAR(16)  NOT NULL,
  total            BIGINT       NOT NULL,
  replayed         BIGINT       NOT NULL,
  skipped          BIGINT       NOT NULL,
  cursor_value     VARCHAR(512),
  owner            VARCHAR(255),
  lease_expires_at BIGINT,
  detail           MEDIUMTEXT,
  created_at       BIGINT       NOT NULL,
  updated_at       BIGINT       NOT NULL,
  UNIQUE INDEX ${prefix}replay_job_running_idx (running_key),
  INDEX ${prefix}replay_job_created_idx (created_at, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The keyset search lists a route's entries newest first (created_at DESC, id DESC), a page after a cursor (read
-- backwards); and the lookup by the id people hold (the partner's delivery id, the Core App's message id). One
-- ALTER, last: it adds both indexes or neither, so a migration interrupted before it can simply run again (MySQL
-- has no CREATE INDEX IF NOT EXISTS).
ALTER TABLE ${prefix}entry
  ADD INDEX ${prefix}entry_route_created_idx (route, created_at, id),
  ADD INDEX ${prefix}entry_dedup_key_idx (dedup_key);
