package dev.postoffice.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's statistics of a new table (the entry table, the receipt table) in step with
 * its first growth, by running {@code ANALYZE} each time this store has inserted four times as many
 * rows as at the last one (at 1,000, 4,000, 16,000 and 64,000), unless the table is already that
 * large.
 *
 * <p>Why: the PostgreSQL JDBC driver turns a statement run five times on a connection into a
 * server-side prepared statement, and after five more runs the server may keep one generic plan for
 * it, costed with the table's size <em>at that moment</em>. On new tables that size is nearly
 * nothing, so the cached plan reads the entry table whole (a sequential scan and a hash join
 * instead of the primary key) and keeps doing so as the table grows, until an analyze invalidates
 * it; autovacuum's first one comes up to a minute later, by which time a busy node has written tens
 * of thousands of entries. Measured: 10 ms per status change on 12,000 entries instead of 0.1 ms,
 * and the engine with batching off at a third of plain JDBC on new tables; on the receipt table,
 * 15–40 ms per read of a delivery batch's receipts instead of 0.08 ms. An {@code ANALYZE}
 * invalidates every cached plan on the table, so the next call plans with the real size. Once the
 * table is large, autovacuum's own thresholds (a share of the table) keep it current.
 *
 * <p>Runs on the thread whose write crossed the threshold, after that write committed (an analyze
 * samples at most 30,000 rows: tens of milliseconds, four times in the table's life; the history
 * table is left to autovacuum, as the store's statements on it are inserts and lookups by entry); a
 * failure is logged and never fails the write.
 */
final class YoungTableAnalyzer {
  private static final Logger log = LoggerFactory.getLogger(YoungTableAnalyzer.class);

  /** Inserted entries at the first analyze. */
  static final long FIRST = 1_000;

  /**
   * Past this many rows the table is mature: autovacuum's share-of-the-table thresholds are near
   * enough.
   */
  static final long LAST = 64_000;

  /** How much larger each threshold is than the one before. */
  private static final long STEP = 4;

  private final Transactions tx;
  private final String table;
  private final AtomicLong inserted = new AtomicLong();
  private final AtomicLong nextAt = new AtomicLong(FIRST);

  /**
   * @param tx the transaction runner @param table the (prefixed) table to analyze
   */
  YoungTableAnalyzer(Transactions tx, String table) {
    this.tx = tx;
    this.table = table;
  }

  /**
   * Counts rows this store wrote (outputs of a commit whose entries were refused, receipts that
   * were already there, included: a trigger, not a census), analyzing the table when the count
   * crosses the next threshold.
   */
  void inserted(int rows) {
    long total = inserted.addAndGet(rows);
    long threshold = nextAt.get();
    if (total < threshold
        || threshold > LAST
        || !nextAt.compareAndSet(threshold, threshold * STEP)) {
      return;
    }
    try {
      long start = System.nanoTime();
      // As one statement: committed even where the host's pool hands out connections with
      // autocommit off.
      boolean analyzed =
          tx.statement(
              "analyze a new table",
              h -> {
                try (PreparedStatement ps =
                    h.getConnection()
                        .prepareStatement(
                            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
                  ps.setString(1, table);
                  try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getDouble(1) >= LAST) {
                      return false;
                    }
                  }
                }
                try (Statement st = h.getConnection().createStatement()) {
                  st.execute("ANALYZE " + table);
                }
                return true;
              });
      if (analyzed) {
        log.debug(
            "analyzed {} at {} inserted rows in {} ms",
            table,
            total,
            (System.nanoTime() - start) / 1_000_000);
      } else {
        nextAt.set(Long.MAX_VALUE); // already large: nothing more to do here
      }
    } catch (RuntimeException e) {
      log.warn(
          "could not ANALYZE {} (statements may keep plans made for a near-empty table until autovacuum"
              + " analyzes it): {}",
          table,
          e.toString());
    }
  }
}
