package dev.postoffice.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * What PostgreSQL did for a run, per message: statements, rows written and WAL bytes. Statements
 * and WAL come from {@code pg_stat_statements} when the extension is loaded and created in the
 * harness's database (then they count this database's statements only, not other clients' of the
 * same server); otherwise statements fall back to transactions ({@code pg_stat_database}, each
 * autocommit statement being one) and WAL to the whole server's ({@code pg_stat_wal}, so other
 * clients' writes count too: measure on a quiet server). Rows written are {@code
 * pg_stat_database}'s inserted, updated and deleted tuples of this database (table and TOAST rows
 * alike).
 *
 * <p>The cumulative statistics that {@code pg_stat_database} shows are flushed by each backend
 * within a second of going idle, so {@link #snapshot} waits that long first.
 */
final class PgWork {
  private static final String STATEMENTS =
      "SELECT coalesce(sum(calls), 0), coalesce(sum(wal_bytes), 0) FROM pg_stat_statements"
          + " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
          + " AND query NOT ILIKE '%pg_stat%'";
  private static final String DATABASE =
      "SELECT xact_commit, tup_inserted + tup_updated + tup_deleted FROM pg_stat_database"
          + " WHERE datname = current_database()";
  private static final String CLUSTER_WAL = "SELECT wal_bytes FROM pg_stat_wal";

  /**
   * Counters at one moment.
   *
   * @param statements statements run (or transactions, without pg_stat_statements)
   * @param rows rows inserted, updated or deleted
   * @param walBytes WAL bytes written
   * @param fromStatements whether statements and WAL come from pg_stat_statements
   */
  record Counters(long statements, long rows, long walBytes, boolean fromStatements) {
    /** What happened between {@code before} and this, per message, as one line. */
    String perMessage(Counters before, int messages) {
      return String.format(
          Locale.ROOT,
          "PostgreSQL per message: %.2f %s, %.2f rows written, %,.0f WAL bytes (%s)",
          (statements - before.statements) / (double) messages,
          fromStatements ? "statements" : "transactions",
          (rows - before.rows) / (double) messages,
          walPerMessage(before, messages),
          fromStatements ? "pg_stat_statements, this database" : "pg_stat_wal, whole server");
    }

    double walPerMessage(Counters before, int messages) {
      return (walBytes - before.walBytes) / (double) messages;
    }
  }

  private PgWork() {}

  /** The counters now, after the backends' pending statistics have been flushed. */
  static Counters snapshot(DataSource dataSource) throws SQLException, InterruptedException {
    TimeUnit.MILLISECONDS.sleep(1_500);
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      long transactions;
      long rows;
      try (ResultSet rs = st.executeQuery(DATABASE)) {
        rs.next();
        transactions = rs.getLong(1);
        rows = rs.getLong(2);
      }
      if (hasStatements(st)) {
        try (ResultSet rs = st.executeQuery(STATEMENTS)) {
          rs.next();
          return new Counters(rs.getLong(1), rows, rs.getLong(2), true);
        }
      }
      try (ResultSet rs = st.executeQuery(CLUSTER_WAL)) {
        rs.next();
        return new Counters(transactions, rows, rs.getLong(1), false);
      }
    }
  }

  private static boolean hasStatements(Statement st) {
    try (ResultSet rs =
        st.executeQuery(
            "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'"
                + " AND current_setting('shared_preload_libraries') LIKE '%pg_stat_statements%'")) {
      rs.next();
      return rs.getLong(1) > 0;
    } catch (SQLException e) {
      return false;
    }
  }
}
