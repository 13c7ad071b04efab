package dev.postoffice.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention in small batches: each batch is its own short transaction, so purging never holds many
 * locks. Only finished entries lose payloads ({@code JUST_IN}, {@code RETRYING} and {@code QUEUED}
 * still need them).
 */
final class RetentionOps {
  private static final String UNFINISHED = "('JUST_IN', 'RETRYING', 'QUEUED')";

  /** Ids per DELETE: well under every database's limit on bound parameters. */
  private static final int DELETE_CHUNK = 500;

  private final Tables tables;

  RetentionOps(Tables tables) {
    this.tables = tables;
  }

  /** Clears the payloads of one batch; returns how many. */
  int purgePayloads(Connection c, Instant before, int batchSize) throws SQLException {
    // updated_at >= created_at, so the created_at bound changes nothing but lets PostgreSQL, whose
    // index is on
    // created_at (claims change updated_at; an index on it would make every claim a non-HOT
    // update), use it.
    List<String> ids =
        select(
            c,
            "SELECT id FROM "
                + tables.entry()
                + " WHERE created_at < ? AND updated_at < ?"
                + " AND payload IS NOT NULL AND status NOT IN "
                + UNFINISHED
                + " LIMIT ?",
            before,
            batchSize);
    if (ids.isEmpty()) {
      return 0;
    }
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET payload = NULL WHERE id IN ("
            + Tables.placeholders(ids.size())
            + ") AND status NOT IN "
            + UNFINISHED;
    return update(c, sql, ids);
  }

  /**
   * Deletes one batch of finished traces (entries, history, dedup keys); returns how many traces.
   */
  int purgeTraces(Connection c, Instant before, int batchSize) throws SQLException {
    List<String> traces = finishedTraces(c, before, batchSize);
    if (traces.isEmpty()) {
      return 0;
    }
    delete(c, traces, before);
    return traces.size();
  }

  /**
   * Selects up to {@code batchSize} traces none of whose entries is waiting and whose newest change
   * is old.
   */
  List<String> finishedTraces(Connection c, Instant before, int batchSize) throws SQLException {
    return select(
        c,
        "SELECT trace_id FROM "
            + tables.entry()
            + " GROUP BY trace_id"
            + " HAVING MAX(updated_at) < ? AND SUM(CASE WHEN status IN "
            + UNFINISHED
            + " THEN 1 ELSE 0 END) = 0"
            + " LIMIT ?",
        before,
        batchSize);
  }

  /**
   * Deletes the selected traces' entries that are still finished and old, with their history and
   * dedup keys. Not "everything of these traces": an entry may have joined a trace since it was
   * selected (a replay, a downstream message carrying an old trace id), and it must stay. So the
   * entries are selected again by trace with the finished-and-old condition re-checked and locked
   * ({@code FOR UPDATE}: a replay waits for this transaction), then deleted by id.
   */
  void delete(Connection c, List<String> traces, Instant before) throws SQLException {
    List<String> ids = new ArrayList<>();
    String lock =
        "SELECT id FROM "
            + tables.entry()
            + " WHERE trace_id IN ("
            + Tables.placeholders(traces.size())
            + ") AND status NOT IN "
            + UNFINISHED
            + " AND updated_at < ? ORDER BY id FOR UPDATE";
    try (PreparedStatement ps = c.prepareStatement(lock)) {
      int p = 1;
      for (String trace : traces) {
        ps.setString(p++, trace);
      }
      ps.setLong(p, Rows.nanos(before));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    for (int from = 0; from < ids.size(); from += DELETE_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + DELETE_CHUNK));
      String in = Tables.placeholders(chunk.size());
      update(c, "DELETE FROM " + tables.history() + " WHERE entry_id IN (" + in + ")", chunk);
      update(c, "DELETE FROM " + tables.dedup() + " WHERE entry_id IN (" + in + ")", chunk);
      update(c, "DELETE FROM " + tables.entry() + " WHERE id IN (" + in + ")", chunk);
    }
  }

  /**
   * Runs a select whose parameters are {@code before} (once for each {@code ?} but the last) and a
   * limit.
   */
  private static List<String> select(Connection c, String sql, Instant before, int limit)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int params = (int) sql.chars().filter(ch -> ch == '?').count();
      for (int i = 1; i < params; i++) {
        ps.setLong(i, Rows.nanos(before));
      }
      ps.setInt(params, limit);
      try (ResultSet rs = ps.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }

  private static int update(Connection c, String sql, List<String> args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.size(); i++) {
        ps.setString(i + 1, args.get(i));
      }
      return ps.executeUpdate();
    }
  }
}
