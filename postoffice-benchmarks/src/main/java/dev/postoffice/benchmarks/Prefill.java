package dev.postoffice.benchmarks;

import dev.postoffice.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Writes finished entries of another route straight into the store's tables, in three set-based SQL
 * statements (as postoffice-jdbc-store's JdbcStoreBenchmark does), so "10k versus 1M entries in the
 * table" can be compared without waiting for a million messages to run through the pipeline first.
 * Four entries per trace, like the upstream path, each with two history rows; times far in the
 * past.
 */
final class Prefill {
  private Prefill() {}

  static void finishedEntries(
      DataSource dataSource, JdbcDialect dialect, String prefix, long entries) throws SQLException {
    boolean pg = dialect == JdbcDialect.POSTGRESQL;
    String series =
        pg ? "generate_series(1, " + entries + ") g(x)" : "system_range(1, " + entries + ") g(x)";
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO "
              + prefix
              + "entry (id, route, direction, layer, status, content_type, payload,"
              + " headers, source_id, trace_id, attempts, generation, produced_by, created_at, updated_at)"
              + " SELECT 'old-' || x, 'old-route', 'UPSTREAM', 1 + MOD(x, 4), CASE WHEN MOD(x, 4) = 3"
              + " THEN 'ACKNOWLEDGED' ELSE 'PROCESSED' END, 'application/json', "
              + (pg
                  ? "convert_to(repeat('x', 500), 'UTF8')"
                  : "CAST(REPEAT('x', 500) AS VARBINARY)")
              + ", NULL, 'old-' || (x - 1), 'trace-' || (x / 4), 1, 0, 'old', x, x FROM "
              + series);
      st.execute(
          "INSERT INTO "
              + prefix
              + "history (entry_id, from_status, to_status, changed_at)"
              + " SELECT 'old-' || x, NULL, 'JUST_IN', x FROM "
              + series);
      st.execute(
          "INSERT INTO "
              + prefix
              + "history (entry_id, from_status, to_status, changed_at)"
              + " SELECT 'old-' || x, 'JUST_IN', 'PROCESSED', x FROM "
              + series);
      if (pg) {
        // Fresh statistics, or the planner may take the big table for empty and choose badly.
        st.execute("VACUUM ANALYZE " + prefix + "entry");
        st.execute("VACUUM ANALYZE " + prefix + "history");
      }
    }
  }

  /**
   * Writes {@code entries} messages waiting at layer 1 of {@code route} (Just In, no lease, one
   * history row each), created long before now so that a run claims them before its own messages;
   * their payload is the workload's order number 0, which the route normalizes like any other.
   */
  static void backlog(
      DataSource dataSource, JdbcDialect dialect, String prefix, String route, long entries)
      throws SQLException {
    boolean pg = dialect == JdbcDialect.POSTGRESQL;
    String series =
        pg ? "generate_series(1, " + entries + ") g(x)" : "system_range(1, " + entries + ") g(x)";
    long createdBase =
        System.currentTimeMillis() * 1_000_000L - 3_600_000_000_000L; // an hour ago, in ns
    String id = "'" + route + "-waiting-' || x";
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + prefix
                  + "entry (id, route, direction,"
                  + " layer, status, content_type, payload, headers, source_id, trace_id, attempts, generation,"
                  + " produced_by, created_at, updated_at) SELECT "
                  + id
                  + ", ?, 'UPSTREAM', 1, 'JUST_IN',"
                  + " 'application/json', ?, NULL, NULL, "
                  + id
                  + ", 0, 0, 'backlog', ? + x, ? + x FROM "
                  + series)) {
        ps.setString(1, route);
        ps.setBytes(2, Workload.json(0));
        ps.setLong(3, createdBase);
        ps.setLong(4, createdBase);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO "
                  + prefix
                  + "history (entry_id, from_status,"
                  + " to_status, changed_at) SELECT "
                  + id
                  + ", NULL, 'JUST_IN', ? + x FROM "
                  + series)) {
        ps.setLong(1, createdBase);
        ps.executeUpdate();
      }
      if (pg) {
        try (Statement st = c.createStatement()) {
          st.execute("VACUUM ANALYZE " + prefix + "entry");
          st.execute("VACUUM ANALYZE " + prefix + "history");
        }
      }
    }
  }
}
