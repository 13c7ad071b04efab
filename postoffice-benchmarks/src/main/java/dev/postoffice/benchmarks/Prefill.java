package dev.postoffice.benchmarks;

import dev.postoffice.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Writes finished entries of another route straight into the store's tables, in three set-based SQL
 * statements (as postoffice-jdbc-store's JdbcStoreBenchmark does), so "10k versus 1M entries in the table" can
 * be compared without waiting for a million messages to run through the pipeline first. Four entries per
 * trace, like the upstream path, each with two history rows; times far in the past.
 */
final class Prefill {
  private Prefill() {}

  static void finishedEntries(DataSource dataSource, JdbcDialect dialect, String prefix, long entries)
      throws SQLException {
    boolean pg = dialect == JdbcDialect.POSTGRESQL;
    String series = pg ? "generate_series(1, " + entries + ") g(x)" : "system_range(1, " + entries + ") g(x)";
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("INSERT INTO " + prefix + "entry (id, route, direction, layer, status, content_type, payload,"
          + " headers, source_id, trace_id, attempts, generation, produced_by, created_at, updated_at)"
          + " SELECT 'old-' || x, 'old-route', 'UPSTREAM', 1 + MOD(x, 4), CASE WHEN MOD(x, 4) = 3"
          + " THEN 'ACKNOWLEDGED' ELSE 'PROCESSED' END, 'application/json', "
          + (pg ? "convert_to(repeat('x', 500), 'UTF8')" : "CAST(REPEAT('x', 500) AS VARBINARY)")
          + ", NULL, 'old-' || (x - 1), 'trace-' || (x / 4), 1, 0, 'old', x, x FROM " + series);
      st.execute("INSERT INTO " + prefix + "history (entry_id, from_status, to_status, changed_at)"
          + " SELECT 'old-' || x, NULL, 'JUST_IN', x FROM " + series);
      st.execute("INSERT INTO " + prefix + "history (entry_id, from_status, to_status, changed_at)"
          + " SELECT 'old-' || x, 'JUST_IN', 'PROCESSED', x FROM " + series);
      if (pg) {
        // Fresh statistics, or the planner may take the big table for empty and choose badly.
        st.execute("VACUUM ANALYZE " + prefix + "entry");
        st.execute("VACUUM ANALYZE " + prefix + "history");
      }
    }
  }
}
