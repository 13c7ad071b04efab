package dev.postoffice.coreapp.jdbc.internal;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.coreapp.jdbc.ReceiptLogDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Runs the receipt log's calls on the host's {@code DataSource}: in a READ COMMITTED transaction or
 * as one autocommit statement, retrying what the database aborted for a reason that passes
 * (deadlock, serialization failure, a lost insert race), bounding every call with the statement
 * timeout (and twice that as the connection's network timeout), and turning an unreachable or
 * missing database into {@link StoreUnavailableException} with a message that says which.
 */
public final class JdbcCalls {
  /** How many times one call runs at most before a retryable failure is given up. */
  static final int MAX_ATTEMPTS = 6;

  private static final long BASE_BACKOFF_MILLIS = 5;

  /** {@code setNetworkTimeout} wants an executor; drivers use it only to abort the connection. */
  private static final Executor DIRECT = Runnable::run;

  private final DataSource dataSource;
  private final ReceiptLogDialect dialect;
  private final String table;
  private final int queryTimeoutSeconds;
  private final int networkTimeoutMillis;

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Does the work.
     *
     * @param connection the connection (in a transaction, or in autocommit)
     * @return the result
     * @throws SQLException on a database error
     */
    T run(Connection connection) throws SQLException;
  }

  /**
   * Creates the runner.
   *
   * @param dataSource the host's database
   * @param dialect its dialect
   * @param table the receipt table's name, for messages
   * @param statementTimeout how long one statement may run (whole seconds, rounded up)
   */
  public JdbcCalls(
      DataSource dataSource, ReceiptLogDialect dialect, String table, Duration statementTimeout) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.table = table;
    long seconds = Math.min(Integer.MAX_VALUE / 2000, (statementTimeout.toMillis() + 999) / 1000);
    this.queryTimeoutSeconds = (int) seconds;
    this.networkTimeoutMillis = (int) (seconds * 2000);
  }

  /**
   * Prepares a statement limited to the statement timeout.
   *
   * @param c the connection
   * @param sql the statement
   * @return the prepared statement
   * @throws SQLException if the driver refuses it
   */
  public PreparedStatement prepare(Connection c, String sql) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    ps.setQueryTimeout(queryTimeoutSeconds);
    return ps;
  }

  /**
   * Runs work in one READ COMMITTED transaction, retrying deadlocks and serialization failures.
   *
   * @param operation the call's name, for messages
   * @param retryOnUniqueViolation whether a unique-key violation is a lost race worth a retry
   * @param work the work
   * @param <T> the result type
   * @return the result
   * @throws StoreUnavailableException if the database is unreachable, the table is missing, or
   *     retries ran out
   */
  public <T> T inTransaction(String operation, boolean retryOnUniqueViolation, Work<T> work) {
    return retrying(operation, retryOnUniqueViolation, () -> transaction(work));
  }

  /**
   * Runs work that is one data-changing statement (atomic on its own) in autocommit, with the
   * retries of {@link #inTransaction}; committed explicitly if the pool hands out connections with
   * autocommit off.
   *
   * @param operation the call's name, for messages
   * @param work the work
   * @param <T> the result type
   * @return the result
   */
  public <T> T statement(String operation, Work<T> work) {
    return retrying(
        operation,
        false,
        () ->
            onConnection(
                c -> {
                  if (c.getAutoCommit()) {
                    return work.run(c);
                  }
                  try {
                    T result = work.run(c);
                    c.commit();
                    return result;
                  } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                  }
                }));
  }

  /**
   * Runs reads on a connection as the pool hands it out, without retries.
   *
   * @param operation the call's name, for messages
   * @param work the work
   * @param <T> the result type
   * @return the result
   */
  public <T> T read(String operation, Work<T> work) {
    try {
      return onConnection(work);
    } catch (SQLException e) {
      throw translate(operation, SqlFailure.classify(e), 1, e);
    }
  }

  /**
   * Tells whether the receipt table exists: a query that reads no row.
   *
   * @return false if the database answers that the table does not exist
   * @throws StoreUnavailableException if the database cannot be reached
   */
  public boolean tableExists() {
    try {
      return onConnection(
          c -> {
            try (PreparedStatement ps = prepare(c, "SELECT 1 FROM " + table + " WHERE 1 = 0")) {
              ps.executeQuery().close();
            }
            return true;
          });
    } catch (SQLException e) {
      SqlFailure failure = SqlFailure.classify(e);
      if (failure == SqlFailure.MISSING_TABLE) {
        return false;
      }
      throw translate("check the receipt table", failure, 1, e);
    }
  }

  private <T> T transaction(Work<T> work) throws SQLException {
    return onConnection(
        c -> {
          boolean autoCommit = c.getAutoCommit();
          // InnoDB defaults to REPEATABLE READ; PostgreSQL and H2 to READ COMMITTED already (and
          // asking PostgreSQL's driver for the level would cost a round trip per transaction).
          int isolation =
              dialect == ReceiptLogDialect.MARIADB
                  ? c.getTransactionIsolation()
                  : Connection.TRANSACTION_READ_COMMITTED;
          boolean setIsolation = isolation != Connection.TRANSACTION_READ_COMMITTED;
          if (setIsolation) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
          }
          if (autoCommit) {
            c.setAutoCommit(false);
          }
          try {
            T result = work.run(c);
            c.commit();
            return result;
          } catch (SQLException | RuntimeException | Error e) {
            rollbackQuietly(c, e);
            throw e;
          } finally {
            restore(c, autoCommit, setIsolation ? isolation : -1);
          }
        });
  }

  private <T> T onConnection(Work<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      int previous = armNetworkTimeout(c);
      try {
        return work.run(c);
      } finally {
        if (previous >= 0 && !c.isClosed()) {
          try {
            c.setNetworkTimeout(DIRECT, previous);
          } catch (SQLException e) {
            // The connection broke: the pool drops it; nothing to restore.
          }
        }
      }
    }
  }

  /** Sets the network timeout unless a shorter one is set; returns the one to restore, or -1. */
  private int armNetworkTimeout(Connection c) throws SQLException {
    try {
      int previous = c.getNetworkTimeout();
      if (previous > 0 && previous <= networkTimeoutMillis) {
        return -1;
      }
      c.setNetworkTimeout(DIRECT, networkTimeoutMillis);
      return previous;
    } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
      return -1; // embedded H2: no network to time out
    }
  }

  private static void rollbackQuietly(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static void restore(Connection c, boolean autoCommit, int isolation) {
    try {
      if (c.isClosed()) {
        return;
      }
      if (autoCommit) {
        c.setAutoCommit(true);
      }
      if (isolation >= 0) {
        c.setTransactionIsolation(isolation);
      }
    } catch (SQLException e) {
      // The connection broke: the pool drops it; nothing to restore.
    }
  }

  /** One try of a call. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run() throws SQLException;
  }

  private <T> T retrying(String operation, boolean retryOnUniqueViolation, Attempt<T> attempt) {
    for (int n = 1; ; n++) {
      try {
        return attempt.run();
      } catch (SQLException e) {
        SqlFailure failure = SqlFailure.classify(e);
        boolean retry =
            failure == SqlFailure.TRANSIENT
                || (retryOnUniqueViolation && failure == SqlFailure.UNIQUE_VIOLATION);
        if (retry && n < MAX_ATTEMPTS) {
          backoff(n);
          continue;
        }
        throw translate(operation, failure, n, e);
      }
    }
  }

  private RuntimeException translate(
      String operation, SqlFailure failure, int attempts, SQLException e) {
    String cause = SqlFailure.rootMessage(e);
    String head = "JDBC receipt log: " + operation;
    return switch (failure) {
      case TIMEOUT ->
          new StoreUnavailableException(
              head
                  + " got no answer within the statement timeout of "
                  + queryTimeoutSeconds
                  + " s ("
                  + cause
                  + "); it was cancelled, try again later",
              e);
      case UNAVAILABLE ->
          new StoreUnavailableException(
              head + " failed, the database is not reachable (" + cause + ")", e);
      case TRANSIENT, UNIQUE_VIOLATION ->
          new StoreUnavailableException(
              head
                  + " gave up after "
                  + attempts
                  + " attempts aborted by the database ("
                  + cause
                  + ")",
              e);
      case MISSING_TABLE ->
          new StoreUnavailableException(
              head + " failed, " + missingTable() + " (" + cause + ")", e);
      default -> new IllegalStateException(head + " failed: " + cause, e);
    };
  }

  /**
   * Says that the receipt table is missing and how to fix it.
   *
   * @return the sentence, with its hint
   */
  public String missingTable() {
    return "the receipt table '"
        + table
        + "' does not exist [Hint: call JdbcReceiptLog.migrate() once at startup (it creates only"
        + " this table), or create it with the SQL of JdbcReceiptLog.schema(); the table prefix"
        + " must match the one the Core App's receipt log was migrated with]";
  }

  private static void backoff(int attempt) {
    long max = BASE_BACKOFF_MILLIS << Math.min(attempt, 5);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(BASE_BACKOFF_MILLIS, max + 1));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException(
          "JDBC receipt log: interrupted while backing off a retry", ie);
    }
  }
}
