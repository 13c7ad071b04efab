package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.JdbcDialect;
import java.time.Duration;
import java.time.Instant;

/**
 * The clock leases and due times are judged on, as SQL. A time on the store's clock is written
 * {@link #time()}: one BIGINT parameter plus the database's current time in epoch nanoseconds (or
 * plus 0 on the engine's clock), bound with {@link #at}: the delay from the caller's {@code now}
 * (or the absolute time). So the statements are the same text on both clocks, and the comparisons
 * run inside the database, in the same statement as the claim or the renewal, with no extra round
 * trip.
 */
public final class StoreClock {
  /**
   * Delays are capped so that the database's time plus one cannot overflow a BIGINT (~146 years).
   */
  private static final long MAX_DELAY = Long.MAX_VALUE / 2;

  private final boolean database;
  private final String base;
  private final String time;

  /**
   * Creates the clock of a store.
   *
   * @param dialect the database
   * @param database true for the database's clock, false for the {@code now} the engine passes
   */
  public StoreClock(JdbcDialect dialect, boolean database) {
    this.database = database;
    this.base = database ? databaseNow(dialect) : "0";
    this.time =
        dialect == JdbcDialect.MARIADB
            ? "(? + " + base + ")"
            : "(CAST(? AS BIGINT) + " + base + ")";
  }

  private static String databaseNow(JdbcDialect dialect) {
    switch (dialect) {
      case POSTGRESQL:
        // The transaction's start: for the store's one-statement operations, the statement's. As a
        // scalar
        // subquery, so it is computed once per statement (an InitPlan), not once per row a claim
        // filters.
        return "(SELECT CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000 AS BIGINT) * 1000)";
      case MARIADB:
        // UTC_TIMESTAMP, not NOW(): no time zone conversion, so no hour repeated when daylight
        // saving ends.
        return "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) * 1000";
      default:
        return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000000000 AS BIGINT)";
    }
  }

  /**
   * @return whether this is the database's clock
   */
  boolean database() {
    return database;
  }

  /**
   * @return SQL for a time on this clock from one parameter bound with {@link #at}
   */
  String time() {
    return time;
  }

  /**
   * @return SQL for this clock's now in epoch nanoseconds, to add to a column or array element of
   *     delays
   */
  String base() {
    return base;
  }

  /**
   * Returns the parameter of {@link #time()} for a time the caller computed from its {@code now}.
   *
   * @param t the time, or null
   * @param now the caller's now
   * @return the delay from {@code now} (database's clock) or the time itself (engine's), in
   *     nanoseconds; null for null
   */
  Long at(Instant t, Instant now) {
    if (t == null) {
      return null;
    }
    if (!database) {
      return Rows.nanos(t);
    }
    long delay;
    try {
      delay = Math.subtractExact(Rows.nanos(t), Rows.nanos(now));
    } catch (ArithmeticException e) {
      delay = t.isAfter(now) ? MAX_DELAY : -MAX_DELAY;
    }
    return Math.max(-MAX_DELAY, Math.min(MAX_DELAY, delay));
  }

  /**
   * @return the parameter of {@link #time()} for now
   */
  long now(Instant now) {
    return at(now, now);
  }

  /**
   * @return the parameter of {@link #time()} for {@code duration} after now
   */
  long after(Duration duration, Instant now) {
    return at(now.plus(duration), now);
  }
}
