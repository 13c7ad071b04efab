package dev.postoffice.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps PostgreSQL's statistics of new entry and history tables in step with their first growth, by running
 * {@code ANALYZE} each time this store has inserted twice as many entries as at the last one (at 1,000, 2,000,
 * ..., 64,000), unless the table is already that large.
 *
 * <p>Why: the PostgreSQL JDBC driver turns a statement run five times on a connection into a server-side
 * prepared statement, and after five more runs the server may keep one generic plan for it, costed with the
 * table's size <em>at that moment</em>. On new tables that size is nearly nothing, so the cached plan reads the
 * entry table whole (a sequential scan and a hash join instead of the primary key) and keeps doing so as the
 * table grows, until an analyze invalidates it; autovacuum's first one comes up to a minute later, by which
 * time a busy node has written tens of thousands of entries. Measured: 10 ms per status change on 12,000
 * entries instead of 0.1 ms, and the engine with batching off at a third of plain JDBC on new tables. An
 * {@code ANALYZE} invalidates every cached plan on the table, so the next call plans with the real size. Once
 * the table is large, autovacuum's own thresholds (a share of the table) keep it current.
 *
 * <p>Runs on the thread whose write crossed the threshold, after that write committed (an analyze of at most
 * 64,000 rows takes milliseconds); a failure (no owner rights on the tables, say) is logged and never fails
 * the write.
 */
final class YoungTableAnalyzer {
  private static final Logger log = LoggerFactory.getLogger(YoungTableAnalyzer.class);

  /** Inserted entries at the first analyze. */
  static final long FIRST = 1_000;
  /** Past this many rows the table is mature: autovacuum's share-of-the-table thresholds are near enough. */
  static final long LAST = 64_000;

  private final Transactions tx;
  private final Tables tables;
  private final AtomicLong inserted = new AtomicLong();
  private final AtomicLong nextAt = new AtomicLong(FIRST);

  YoungTableAnalyzer(Transactions tx, Tables tables) {
    this.tx = tx;
    this.tables = tables;
  }

  /** Counts entries this store inserted, analyzing the tables when the count crosses the next threshold. */
  void inserted(int rows) {
    long total = inserted.addAndGet(rows);
    long threshold = nextAt.get();
    if (total < threshold || threshold > LAST || !nextAt.compareAndSet(threshold, threshold * 2)) {
      return;
    }
    try {
      long start = System.nanoTime();
      boolean analyzed = tx.withHandle("analyze new tables", h -> {
        try (PreparedStatement ps = h.getConnection().prepareStatement(
            "SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)")) {
          ps.setString(1, tables.entry());
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next() && rs.getDouble(1) >= LAST) {
              return false;
            }
          }
        }
        try (Statement st = h.getConnection().createStatement()) {
          st.execute("ANALYZE " + tables.entry() + ", " + tables.history());
        }
        return true;
      });
      if (analyzed) {
        log.debug("analyzed {} and {} at {} inserted entries in {} ms", tables.entry(), tables.history(), total,
            (System.nanoTime() - start) / 1_000_000);
      } else {
        nextAt.set(Long.MAX_VALUE); // already large: nothing more to do here
      }
    } catch (RuntimeException e) {
      log.warn("could not ANALYZE {} and {} (statements may keep plans made for near-empty tables until"
          + " autovacuum analyzes them): {}", tables.entry(), tables.history(), e.toString());
    }
  }
}
