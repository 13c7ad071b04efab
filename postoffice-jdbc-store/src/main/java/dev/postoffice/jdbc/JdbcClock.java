package dev.postoffice.jdbc;

/**
 * Which clock a {@link JdbcStatusStore} judges leases and due times on. Several nodes share one
 * database, and their clocks differ: judged on each node's own clock, a node whose clock is ahead
 * takes over leases early and its publishes and partner calls repeat. So by default the store uses
 * the database's clock for all of them.
 */
public enum JdbcClock {
  /**
   * The database's clock (the default): a lease expires, and a retry is due, when the database's
   * current time says so, whatever the clocks of the nodes. The {@code now} a node passes only
   * dates records (creation, updates, history) and turns the absolute times it computed (a retry's
   * next attempt, a lease given with a new entry) into delays from the database's time.
   */
  DATABASE,

  /**
   * The {@code now} the engine passes on each call (its injected {@code Clock}), as the in-memory
   * store does: for tests that move a {@code MutableClock} over a JDBC store. Not for several nodes
   * whose clocks may differ.
   */
  ENGINE
}
