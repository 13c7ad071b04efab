package dev.postoffice.coreapp.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL: analyzes the receipt table as it first grows (at 1,000, 4,000, 16,000 and 64,000 rows
 * this log inserted, unless the table is already that large).
 *
 * <p>Why: the driver turns a statement run five times into a server-side prepared statement whose
 * generic plan is costed with the table's size at that moment; on a new table that is nearly
 * nothing, and the cached plan keeps scanning the table whole as it grows until an analyze
 * invalidates it (measured: 15–40 ms per read of a delivery batch's receipts instead of 0.08 ms,
 * until autovacuum's first analyze). Once the table is large, autovacuum keeps it current. A
 * failure is logged and never fails the write.
 */
final class YoungTableAnalyzer {
  private static final Logger log = LoggerFactory.getLogger(YoungTableAnalyzer.class);

  static final long FIRST = 1_000;
  static final long LAST = 64_000;
  private static final long STEP = 4;

  private final JdbcCalls calls;
  private final String table;
  private final AtomicLong inserted = new AtomicLong();
  private final AtomicLong nextAt = new AtomicLong(FIRST);

  YoungTableAnalyzer(JdbcCalls calls, String table) {
    this.calls = calls;
    this.table = table;
  }

  /** Counts rows written (a trigger, not a census), analyzing when a threshold is crossed. */
  void inserted(int rows) {
    long total = inserted.addAndGet(rows);
    long threshold = nextAt.get();
    if (total < threshold
        || threshold > LAST
        || !nextAt.compareAndSet(threshold, threshold * STEP)) {
      return;
    }
    try {
      boolean analyzed =
          calls.statement(
              "analyze the new receipt table",
              c -> {
                try (PreparedStatement ps =
                    calls.prepare(c, "SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
                  ps.setString(1, table);
                  try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getDouble(1) >= LAST) {
                      return false;
                    }
                  }
                }
                try (Statement st = c.createStatement()) {
                  st.execute("ANALYZE " + table);
                }
                return true;
              });
      if (!analyzed) {
        nextAt.set(Long.MAX_VALUE); // already large: nothing more to do
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not ANALYZE {} (reads may keep plans made for a near-empty table until autovacuum"
              + " analyzes it): {}",
          table,
          e.toString());
    }
  }
}
