package dev.postoffice.jdbc.internal;

import java.sql.Statement;

/** Reads JDBC batch update counts. */
final class Batches {
  private Batches() {}

  /**
   * Tells whether the statement at an index of a batch changed a row. Every guarded update in this
   * store matches at most one row by primary key, so 1 means applied and 0 means refused.
   *
   * @throws IllegalStateException if the driver did not report counts (the store needs them for
   *     fencing)
   */
  static boolean applied(int[] counts, int index) {
    int count = counts[index];
    if (count == Statement.SUCCESS_NO_INFO) {
      throw new IllegalStateException(
          "the JDBC driver reported no update counts for a batch; the store needs"
              + " them for fencing [Hint: for MariaDB Connector/J do not set useBulkStmts=true]");
    }
    return count > 0;
  }
}
