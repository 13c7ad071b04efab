package dev.postoffice.jdbc.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes PostgreSQL plan the store's statements with their parameters every time, on the store's connections
 * only while the store uses them.
 *
 * <p>Why: the PostgreSQL JDBC driver turns a statement run five times on a connection into a server-side
 * prepared statement, and after five more runs the server may switch it to a generic plan, costed once, with
 * the tables' size <em>at that moment</em>. On a new store the tables are nearly empty then, so the cached plan
 * reads the entry table whole (a sequential scan and a hash join instead of the primary key) and keeps doing
 * so as the table grows, until an autoanalyze happens to invalidate it: every commit, claim and transition
 * then costs O(table), measured at 10 ms on 12,000 entries instead of 0.1 ms, and the engine with batching off
 * ran at a third of plain JDBC. Planned with their parameters, the store's statements use the indexes at any
 * table size; the planning costs well under a millisecond per statement, and a statement here carries a whole
 * batch.
 *
 * <p>How: the driver's own per-connection switch ({@code PGConnection.setPrepareThreshold(0)}: unnamed
 * statements, planned at bind time), set while the store holds the connection and restored before the
 * connection goes back to the host's pool, so the host's own statements keep the driver's settings. Found by
 * reflection: the module does not depend on the PostgreSQL driver, and with another driver this does nothing.
 */
final class CustomPlans {
  private static final Logger log = LoggerFactory.getLogger(CustomPlans.class);
  private static final Driver DRIVER = Driver.find();

  private CustomPlans() {}

  /** Work on a connection. */
  @FunctionalInterface
  interface ConnectionWork<T> {
    T run() throws SQLException;
  }

  /**
   * Runs work with the connection's statements planned with their parameters (PostgreSQL JDBC driver), then
   * restores the connection's setting; with any other driver, just runs the work.
   */
  static <T> T run(Connection c, ConnectionWork<T> work) throws SQLException {
    Object pg = DRIVER == null ? null : DRIVER.unwrap(c);
    if (pg == null) {
      return work.run();
    }
    int before = DRIVER.threshold(pg);
    if (before == 0) {
      return work.run();
    }
    DRIVER.threshold(pg, 0);
    try {
      return work.run();
    } finally {
      DRIVER.threshold(pg, before);
    }
  }

  /** The PostgreSQL JDBC driver's connection interface and its prepare-threshold accessors. */
  private record Driver(Class<?> type, MethodHandle get, MethodHandle set) {
    static Driver find() {
      try {
        Class<?> type = Class.forName("org.postgresql.PGConnection", false, CustomPlans.class.getClassLoader());
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        return new Driver(type,
            lookup.findVirtual(type, "getPrepareThreshold", MethodType.methodType(int.class)),
            lookup.findVirtual(type, "setPrepareThreshold", MethodType.methodType(void.class, int.class)));
      } catch (ClassNotFoundException e) {
        return null; // no PostgreSQL driver: nothing to do
      } catch (ReflectiveOperationException | LinkageError e) {
        log.warn("PostgreSQL JDBC driver without prepare-threshold accessors; statements keep the driver's"
            + " plan caching", e);
        return null;
      }
    }

    Object unwrap(Connection c) throws SQLException {
      return c.isWrapperFor(type) ? c.unwrap(type) : null;
    }

    int threshold(Object pg) {
      try {
        return (int) get.invoke(pg);
      } catch (Throwable e) {
        throw new IllegalStateException("PGConnection.getPrepareThreshold failed", e);
      }
    }

    void threshold(Object pg, int value) {
      try {
        set.invoke(pg, value);
      } catch (Throwable e) {
        throw new IllegalStateException("PGConnection.setPrepareThreshold failed", e);
      }
    }
  }
}
