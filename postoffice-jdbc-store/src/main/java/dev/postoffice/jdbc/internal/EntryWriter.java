package dev.postoffice.jdbc.internal;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Inserts entries and history rows with JDBC batching. An entry's creation records are not history
 * rows: its row holds them ({@code born_status}, {@code born_detail}; see {@link #creation}).
 */
final class EntryWriter {
  private final Tables tables;
  private final StoreClock clock;
  private final String insertEntry;
  private final String insertHistory;

  EntryWriter(Tables tables, StoreClock clock) {
    this.tables = tables;
    this.clock = clock;
    this.insertEntry =
        "INSERT INTO "
            + tables.entry()
            + " (id, route, direction, layer, status, content_type,"
            + " payload, headers, source_id, trace_id, dedup_key, duplicate_of, attempts, next_attempt_at,"
            + " last_error, generation, produced_by, lease_owner, lease_expires_at, created_at, updated_at,"
            + " born_status, born_detail)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + clock.time()
            + ", ?, ?, ?, ?)";
    this.insertHistory =
        "INSERT INTO "
            + tables.history()
            + " (entry_id, from_status, to_status, changed_at,"
            + " detail) VALUES (?, ?, ?, ?, ?)";
  }

  /**
   * One entry to insert: what to store, with which status, and the detail of its creation record (a
   * duplicate's "duplicate of ...", an output stored finished's detail; else null).
   */
  record NewRow(NewEntry entry, Status status, String duplicateOf, String bornDetail) {
    /** A new entry Just In, or an output stored finished (with its detail). */
    static NewRow of(NewEntry entry) {
      return entry.finishedAs() == null
          ? new NewRow(entry, Status.JUST_IN, null, null)
          : new NewRow(entry, entry.finishedAs(), null, entry.finishedDetail());
    }
  }

  /**
   * The creation records an entry's row holds: {@code null -> JUST_IN}; for an output stored
   * finished, then {@code JUST_IN -> born_status} with its detail; for a duplicate, {@code null ->
   * DUPLICATE} with its detail. None for an entry written before schema version 3 ({@code
   * bornStatus} null): its creation records are history rows.
   *
   * @param id the entry
   * @param bornStatus the status it was created with, or null
   * @param bornDetail the detail of its creation record, or null
   * @param createdAt when it was created
   * @return the records, oldest first
   */
  static List<HistoryRecord> creation(
      EntryId id, String bornStatus, String bornDetail, Instant createdAt) {
    if (bornStatus == null) {
      return List.of();
    }
    Status born = Status.valueOf(bornStatus);
    if (born == Status.JUST_IN || born == Status.DUPLICATE) {
      return List.of(new HistoryRecord(id, null, born, createdAt, bornDetail));
    }
    return List.of(
        new HistoryRecord(id, null, Status.JUST_IN, createdAt, null),
        new HistoryRecord(id, Status.JUST_IN, born, createdAt, bornDetail));
  }

  /** Returns which of these ids exist already. */
  Set<String> existingIds(Connection c, Collection<String> ids) throws SQLException {
    Set<String> found = new HashSet<>();
    if (ids.isEmpty()) {
      return found;
    }
    String sql =
        "SELECT id FROM "
            + tables.entry()
            + " WHERE id IN ("
            + Tables.placeholders(ids.size())
            + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String id : ids) {
        ps.setString(i++, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.add(rs.getString(1));
        }
      }
    }
    return found;
  }

  void insert(Connection c, List<NewRow> rows, Instant now) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    long at = Rows.nanos(now);
    try (PreparedStatement ps = c.prepareStatement(insertEntry)) {
      for (NewRow row : rows) {
        NewEntry e = row.entry();
        ps.setString(1, e.id().value());
        ps.setString(2, e.route().value());
        ps.setString(3, e.direction().name());
        ps.setInt(4, e.layer().number());
        ps.setString(5, row.status().name());
        ps.setString(6, e.payload().contentType());
        ps.setBytes(7, e.payload().bytes());
        Rows.setString(ps, 8, Rows.headersJson(e.headers()));
        Rows.setString(ps, 9, e.sourceId() == null ? null : e.sourceId().value());
        ps.setString(10, e.traceId().value());
        Rows.setString(ps, 11, e.dedupKey());
        Rows.setString(ps, 12, row.duplicateOf());
        boolean leased = e.lease() != null && row.status() == Status.JUST_IN;
        ps.setInt(13, leased || row.status() == e.finishedAs() && e.finishedAs() != null ? 1 : 0);
        ps.setNull(14, Types.BIGINT);
        ps.setNull(15, Types.VARCHAR);
        ps.setInt(16, 0);
        Rows.setString(ps, 17, e.producedBy());
        Rows.setString(ps, 18, leased ? e.lease().owner() : null);
        // A lease given with a new entry expires on the store's clock (see StoreClock).
        Long expires = leased ? clock.at(e.lease().expiresAt(), now) : null;
        if (expires == null) {
          ps.setNull(19, Types.BIGINT);
        } else {
          ps.setLong(19, expires);
        }
        ps.setLong(20, at);
        ps.setLong(21, at);
        ps.setString(22, row.status().name());
        Rows.setString(ps, 23, row.bornDetail());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  void appendHistory(Connection c, List<HistoryRecord> records) throws SQLException {
    if (records.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(insertHistory)) {
      for (HistoryRecord h : records) {
        ps.setString(1, h.entryId().value());
        Rows.setString(ps, 2, h.from() == null ? null : h.from().name());
        ps.setString(3, h.to().name());
        ps.setLong(4, Rows.nanos(h.at()));
        Rows.setString(ps, 5, h.detail());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
