package dev.postoffice.jdbc.internal;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Runs store operations in transactions, retries the ones the database aborted for a reason that
 * passes (deadlock, serialization failure, a lost insert race) and turns an unreachable database
 * into {@link StoreUnavailableException}.
 */
public final class Transactions {
  /** How many times one operation runs at most before a retryable failure is given up. */
  public static final int MAX_ATTEMPTS = 6;

  private static final long BASE_BACKOFF_MILLIS = 5;

  /**
   * The executor {@code setNetworkTimeout} wants; the drivers use it only to abort a connection
   * that timed out.
   */
  private static final Executor DIRECT = Runnable::run;

  private final Jdbi jdbi;
  private final JdbcDialect dialect;

  /** Seconds each statement may run (JDBC query timeout), 0 for no limit. */
  private final int queryTimeoutSeconds;

  /**
   * Milliseconds a connection may wait for the database's answer (JDBC network timeout), 0 for no
   * limit.
   */
  private final int networkTimeoutMillis;

  /**
   * Creates a runner that sets no timeouts of its own.
   *
   * @param jdbi the database
   * @param dialect its dialect
   */
  public Transactions(Jdbi jdbi, JdbcDialect dialect) {
    this(jdbi, dialect, null);
  }

  /**
   * Creates the runner.
   *
   * @param jdbi the database
   * @param dialect its dialect
   * @param statementTimeout how long one statement may run, in whole seconds (rounded up), or null
   *     for no limit; a connection that gets no answer for twice as long is given up (its network
   *     timeout), which bounds a call on an unreachable database
   */
  public Transactions(Jdbi jdbi, JdbcDialect dialect, Duration statementTimeout) {
    this.jdbi = jdbi;
    this.dialect = dialect;
    long seconds =
        statementTimeout == null
            ? 0
            : Math.min(Integer.MAX_VALUE / 2000, (statementTimeout.toMillis() + 999) / 1000);
    this.queryTimeoutSeconds = (int) seconds;
    this.networkTimeoutMillis = (int) (seconds * 2000);
  }

  /**
   * Returns the handle's connection, with every statement it prepares or creates limited to the
   * statement timeout. The store's operations use this rather than {@code handle.getConnection()}.
   *
   * @param handle the handle the work runs on
   * @return the connection to prepare statements on
   */
  public Connection connection(Handle handle) {
    Connection c = handle.getConnection();
    if (queryTimeoutSeconds == 0) {
      return c;
    }
    return new TimeoutConnection(c, queryTimeoutSeconds);
  }

  /**
   * Runs work on a handle whose connection has this runner's network timeout, restoring it
   * afterwards.
   */
  private <T> T onHandle(Work<T> work) throws SQLException {
    return jdbi.withHandle(
        h -> {
          Connection c = h.getConnection();
          int previous = armNetworkTimeout(c);
          try {
            return work.run(h);
          } finally {
            if (previous >= 0) {
              restoreNetworkTimeout(c, previous);
            }
          }
        });
  }

  /**
   * Sets the network timeout unless the connection has a shorter one already (the host's {@code
   * socketTimeout}); returns the previous one to restore, or -1 if nothing was set.
   */
  private int armNetworkTimeout(Connection c) throws SQLException {
    if (networkTimeoutMillis == 0) {
      return -1;
    }
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

  private static void restoreNetworkTimeout(Connection c, int previous) {
    try {
      if (!c.isClosed()) {
        c.setNetworkTimeout(DIRECT, previous);
      }
    } catch (SQLException e) {
      // The connection broke: the pool drops it; nothing to restore.
    }
  }

  /** Work done in one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    /**
     * Does the work.
     *
     * @param handle the transaction's handle
     * @return the result
     * @throws SQLException on a database error (the transaction is rolled back)
     */
    T run(Handle handle) throws SQLException;
  }

  /**
   * Runs work in one READ COMMITTED transaction, retrying deadlocks and serialization failures.
   *
   * @param operation the operation's name, for messages
   * @param retryOnUniqueViolation whether a unique-key violation means a lost race worth a retry
   * @param work the work
   * @param <T> the result type
   * @return the result
   * @throws StoreUnavailableException if the database is unreachable or retries ran out
   */
  public <T> T inTransaction(String operation, boolean retryOnUniqueViolation, Work<T> work) {
    return retrying(
        operation,
        retryOnUniqueViolation,
        () ->
            onHandle(
                h ->
                    dialect == JdbcDialect.MARIADB
                        // InnoDB defaults to REPEATABLE READ, whose gap locks make concurrent
                        // claimers block each other.
                        // PostgreSQL and H2 default to READ COMMITTED: setting it would cost round
                        // trips per transaction.
                        ? h.inTransaction(TransactionIsolationLevel.READ_COMMITTED, work::run)
                        : h.inTransaction(work::run)));
  }

  /**
   * Runs work that is ONE data-changing statement (atomic on its own) in autocommit, with the
   * retries of {@link #inTransaction}: no BEGIN and no COMMIT round trip. If the host's pool hands
   * out connections with autocommit off, the work is committed explicitly.
   *
   * @param operation the operation's name, for messages
   * @param work the work: one data-changing statement, plus reads
   * @param <T> the result type
   * @return the result
   * @throws StoreUnavailableException if the database is unreachable or retries ran out
   */
  public <T> T statement(String operation, Work<T> work) {
    return retrying(
        operation,
        false,
        () ->
            onHandle(
                h -> {
                  Connection c = h.getConnection();
                  if (c.getAutoCommit()) {
                    return work.run(h);
                  }
                  try {
                    T result = work.run(h);
                    c.commit();
                    return result;
                  } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                  }
                }));
  }

  /** One try of an operation. */
  @FunctionalInterface
  private interface Attempt<T> {
    T run() throws SQLException;
  }

  private <T> T retrying(String operation, boolean retryOnUniqueViolation, Attempt<T> attemptOnce) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attemptOnce.run();
      } catch (SQLException | JdbiException e) {
        // Domain exceptions thrown by the work (stale cursor, illegal move) pass through: already
        // rolled back.
        Failure failure = Failure.classify(e);
        boolean retry =
            failure == Failure.TRANSIENT
                || (retryOnUniqueViolation && failure == Failure.UNIQUE_VIOLATION);
        if (retry && attempt < MAX_ATTEMPTS) {
          backoff(attempt);
          continue;
        }
        throw translate(operation, failure, attempt, e);
      }
    }
  }

  /**
   * Runs work on a handle without a transaction of the store's own (autocommit), translating
   * errors.
   *
   * @param operation the operation's name, for messages
   * @param work the work
   * @param <T> the result type
   * @return the result
   */
  public <T> T withHandle(String operation, Work<T> work) {
    try {
      return onHandle(work);
    } catch (SQLException | JdbiException e) {
      throw translate(operation, Failure.classify(e), 1, e);
    }
  }

  private RuntimeException translate(String operation, Failure failure, int attempts, Exception e) {
    switch (failure) {
      case TIMEOUT:
        return new StoreUnavailableException(
            "JDBC store: "
                + operation
                + " got no answer from the database within"
                + " the statement timeout of "
                + queryTimeoutSeconds
                + " s ("
                + rootMessage(e)
                + "); it was cancelled,"
                + " try again later [Hint: a lock held elsewhere, or an overloaded database; the timeout is"
                + " JdbcStatusStore.builder(...).statementTimeout(...)]",
            e);
      case UNAVAILABLE:
        return new StoreUnavailableException(
            "JDBC store: "
                + operation
                + " failed, the database is not"
                + " reachable ("
                + rootMessage(e)
                + "); nothing was changed, try again later",
            e);
      case TRANSIENT:
      case UNIQUE_VIOLATION:
        return new StoreUnavailableException(
            "JDBC store: "
                + operation
                + " gave up after "
                + attempts
                + " attempts aborted by the database ("
                + rootMessage(e)
                + "); nothing was changed",
            e);
      case MISSING_SCHEMA:
        return new StoreUnavailableException(
            "JDBC store: "
                + operation
                + " failed, the store's tables do not"
                + " exist or are older than this version of the store ("
                + rootMessage(e)
                + ") [Hint: call JdbcStatusStore.migrate() once at startup, or apply"
                + " the SQL of JdbcStatusStore.writeSchema(...) with your own migration tool]",
            e);
      default:
        return e instanceof RuntimeException re
            ? re
            : new JdbcStoreFailure("JDBC store: " + operation + " failed: " + rootMessage(e), e);
    }
  }

  private static String rootMessage(Throwable e) {
    SQLException sql = Failure.findSql(e);
    Throwable t = sql != null ? sql : e;
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  private static void backoff(int attempt) {
    long max = BASE_BACKOFF_MILLIS << Math.min(attempt, 5);
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(BASE_BACKOFF_MILLIS, max + 1));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new StoreUnavailableException("JDBC store: interrupted while backing off a retry", ie);
    }
  }

  /** What kind of failure a database error is. */
  enum Failure {
    UNAVAILABLE,
    TIMEOUT,
    TRANSIENT,
    UNIQUE_VIOLATION,
    MISSING_SCHEMA,
    OTHER;

    static Failure classify(Throwable e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ConnectionException
            || t instanceof SQLTransientConnectionException
            || t instanceof SQLNonTransientConnectionException
            || t instanceof SQLRecoverableException) {
          return UNAVAILABLE;
        }
        if (t instanceof SQLTimeoutException) {
          return TIMEOUT;
        }
        if (t instanceof SQLException sql) {
          Failure f = classify(sql);
          if (f != OTHER) {
            return f;
          }
          SQLException next = sql.getNextException();
          if (next != null && next != sql && classify(next) != OTHER) {
            return classify(next);
          }
        }
        for (Throwable suppressed : t.getSuppressed()) {
          Failure f = classify(suppressed);
          if (f != OTHER) {
            return f;
          }
        }
        if (t.getCause() == t) {
          break;
        }
      }
      return OTHER;
    }

    private static Failure classify(SQLException sql) {
      String state = sql.getSQLState() == null ? "" : sql.getSQLState();
      int code = sql.getErrorCode();
      if (state.startsWith("08")
          || state.equals("57P01")
          || state.equals("57P02")
          || state.equals("57P03")
          || state.equals("53300")
          || code == 2006
          || code == 2013
          || code == 90067
          || code == 90098
          || code == 90007
          || code == 90121) {
        return UNAVAILABLE; // connection exceptions, admin shutdown, too many connections, H2
        // closed
      }
      if (state.equals("57014") || state.equals("70100") || code == 1969) {
        return TIMEOUT; // query cancelled (PostgreSQL, H2: the statement timeout), MariaDB
        // max_statement_time
      }
      if (state.equals("40001")
          || state.equals("40P01")
          || code == 1213
          || code == 1205
          || code == 50200
          || code == 90131) {
        return TRANSIENT; // serialization failure, deadlock, lock wait timeout, H2 concurrent
        // update
      }
      if (state.equals("23505") || (state.equals("23000") && code == 1062)) {
        return UNIQUE_VIOLATION;
      }
      if (state.equals("42P01") || state.equals("42S02") || state.equals("42102") || code == 1146) {
        return MISSING_SCHEMA;
      }
      // A column this version writes is missing: the schema is older than the code (a migration
      // not applied yet).
      if (state.equals("42703") || state.equals("42S22") || code == 1054) {
        return MISSING_SCHEMA;
      }
      return OTHER;
    }

    static SQLException findSql(Throwable e) {
      for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
        if (t instanceof SQLException sql) {
          return sql;
        }
      }
      return null;
    }
  }
}
