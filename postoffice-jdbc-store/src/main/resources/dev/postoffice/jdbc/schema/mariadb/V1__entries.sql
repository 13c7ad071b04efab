-- PostOffice JDBC store, schema version 1 (MariaDB 10.6+, MySQL 8).
-- ${prefix} is the table prefix (JdbcStatusStore.Builder#tablePrefix, default "po_"); Flyway users can pass it
-- as a placeholder. Times are BIGINT epoch nanoseconds, UTC: exact, and the same on every database.
-- utf8mb4_bin: ids and dedup keys compare byte for byte, as on the other databases.

CREATE TABLE IF NOT EXISTS ${prefix}entry (
  id               VARCHAR(64)  NOT NULL PRIMARY KEY,
  -- Insertion order: breaks ties between entries created at the same instant (outputs of one commit).
  seq              BIGINT       NOT NULL AUTO_INCREMENT,
  route            VARCHAR(100) NOT NULL,
  direction        VARCHAR(10)  NOT NULL,
  layer            SMALLINT     NOT NULL,
  status           VARCHAR(16)  NOT NULL,
  content_type     VARCHAR(255),
  payload          LONGBLOB,
  headers          MEDIUMTEXT,
  source_id        VARCHAR(64),
  trace_id         VARCHAR(64)  NOT NULL,
  dedup_key        VARCHAR(255),
  duplicate_of     VARCHAR(64),
  attempts         INTEGER      NOT NULL,
  next_attempt_at  BIGINT,
  last_error       MEDIUMTEXT,
  generation       INTEGER      NOT NULL,
  produced_by      VARCHAR(255),
  lease_owner      VARCHAR(255),
  lease_expires_at BIGINT,
  created_at       BIGINT       NOT NULL,
  updated_at       BIGINT       NOT NULL,
  -- The claim query: due entries of one route and layer, oldest first.
  INDEX ${prefix}entry_claim_idx (route, layer, status, created_at, seq),
  UNIQUE INDEX ${prefix}entry_seq_idx (seq),
  -- Operator queries: a trace, the outputs of an entry, a route's entries by status (failed by route).
  INDEX ${prefix}entry_trace_idx (trace_id, created_at),
  INDEX ${prefix}entry_source_idx (source_id),
  INDEX ${prefix}entry_route_status_idx (route, status, updated_at),
  -- Housekeeping: retention scans finished entries by age; graceful shutdown releases one owner's leases.
  INDEX ${prefix}entry_updated_idx (updated_at),
  INDEX ${prefix}entry_lease_idx (lease_owner)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}history (
  seq         BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
  entry_id    VARCHAR(64) NOT NULL,
  from_status VARCHAR(16),
  to_status   VARCHAR(16) NOT NULL,
  changed_at  BIGINT      NOT NULL,
  detail      MEDIUMTEXT,
  INDEX ${prefix}history_entry_idx (entry_id, seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- One row per (route, dedup key): the entry that had it first. The primary key makes concurrent intakes of
-- the same key from several nodes produce exactly one JUST_IN entry.
CREATE TABLE IF NOT EXISTS ${prefix}dedup (
  route     VARCHAR(100) NOT NULL,
  dedup_key VARCHAR(255) NOT NULL,
  entry_id  VARCHAR(64)  NOT NULL,
  PRIMARY KEY (route, dedup_key),
  INDEX ${prefix}dedup_entry_idx (entry_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}poll_cursor (
  route        VARCHAR(100) NOT NULL,
  name         VARCHAR(100) NOT NULL,
  cursor_value MEDIUMTEXT   NOT NULL,
  updated_at   BIGINT       NOT NULL,
  PRIMARY KEY (route, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ${prefix}receipt (
  consumer   VARCHAR(100) NOT NULL,
  message_id VARCHAR(255) NOT NULL,
  handled_at BIGINT       NOT NULL,
  PRIMARY KEY (consumer, message_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
