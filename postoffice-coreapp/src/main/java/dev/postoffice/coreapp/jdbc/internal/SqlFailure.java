package dev.postoffice.coreapp.jdbc.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;

/**
 * What kind of failure a database error is, by SQL state and vendor code (PostgreSQL, MariaDB, H2),
 * so the receipt log retries what passes and says what to fix otherwise.
 */
enum SqlFailure {
  /** The database cannot be reached: connection errors, shutdown, too many connections. */
  UNAVAILABLE,
  /** A statement ran past its timeout and was cancelled. */
  TIMEOUT,
  /** A deadlock, serialization failure or lock wait timeout: worth a retry. */
  TRANSIENT,
  /** A unique-key violation: a lost insert race where the statement cannot absorb it. */
  UNIQUE_VIOLATION,
  /** The table does not exist. */
  MISSING_TABLE,
  /** Anything else: a retry will not fix it. */
  OTHER;

  static SqlFailure classify(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return UNAVAILABLE;
      }
      if (t instanceof SQLTimeoutException) {
        return TIMEOUT;
      }
      if (t instanceof SQLException sql) {
        SqlFailure f = of(sql);
        if (f == OTHER && sql.getNextException() != null && sql.getNextException() != sql) {
          f = of(sql.getNextException());
        }
        if (f != OTHER) {
          return f;
        }
      }
    }
    return OTHER;
  }

  private static SqlFailure of(SQLException sql) {
    String state = sql.getSQLState() == null ? "" : sql.getSQLState();
    int code = sql.getErrorCode();
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("53300")
        || code == 2006 // MariaDB: server has gone away
        || code == 2013 // MariaDB: lost connection
        || code == 90067 // H2: connection broken
        || code == 90098 // H2: database closed
        || code == 90007 // H2: object already closed
        || code == 90121) { // H2: database closed by the VM's shutdown
      return UNAVAILABLE;
    }
    if (state.equals("57014") || state.equals("70100") || code == 1969) {
      return TIMEOUT; // PostgreSQL and H2: statement cancelled; MariaDB: max_statement_time
    }
    if (state.equals("40001")
        || state.equals("40P01")
        || code == 1213 // MariaDB: deadlock
        || code == 1205 // MariaDB: lock wait timeout
        || code == 50200 // H2: lock timeout
        || code == 90131) { // H2: concurrent update
      return TRANSIENT;
    }
    if (state.equals("23505") || (state.equals("23000") && code == 1062)) {
      return UNIQUE_VIOLATION;
    }
    if (state.equals("42P01") // PostgreSQL: undefined table
        || state.equals("42S02") // MariaDB, H2: table not found
        || state.equals("42S04") // H2: table not found, the database is empty
        || state.equals("42102")
        || code == 1146) {
      return MISSING_TABLE;
    }
    return OTHER;
  }

  static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SQLException) {
        return t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
