package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.model.Status;
import java.util.Collection;
import java.util.Collections;
import java.util.stream.Collectors;

/**
 * The store's table names under one prefix, and the dialect they live in.
 *
 * @param dialect the database's dialect
 * @param prefix the table prefix, already validated
 */
public record Tables(JdbcDialect dialect, String prefix) {
  /**
   * @return the entries table
   */
  public String entry() {
    return prefix + "entry";
  }

  /**
   * @return the status history table
   */
  public String history() {
    return prefix + "history";
  }

  /**
   * @return the dedup key table
   */
  public String dedup() {
    return prefix + "dedup";
  }

  /**
   * @return the polling cursor table
   */
  public String cursor() {
    return prefix + "poll_cursor";
  }

  /**
   * @return the receipt log table
   */
  public String receipt() {
    return prefix + "receipt";
  }

  /**
   * @return the paused routes table
   */
  public String routePause() {
    return prefix + "route_pause";
  }

  /**
   * @return the replay jobs table
   */
  public String replayJob() {
    return prefix + "replay_job";
  }

  /**
   * @return the migrator's own table
   */
  public String schemaVersion() {
    return prefix + "schema_version";
  }

  /**
   * Returns {@code n} comma-separated placeholders for an IN list.
   *
   * @param n how many, at least 1
   * @return such as {@code "?, ?, ?"}
   */
  public static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /**
   * Returns statuses as SQL string literals, sorted, for {@code status IN (...)}. Literals rather
   * than bound parameters: PostgreSQL can then match the query to a partial index on some statuses
   * (the attention and {@code (route, status)} indexes) in a cached generic plan too, where a bound
   * parameter proves nothing about the index's predicate. Safe: enum names, never input.
   *
   * @param statuses at least one
   * @return such as {@code "'FAILED', 'REJECTED'"}
   */
  public static String statusLiterals(Collection<Status> statuses) {
    return statuses.stream()
        .map(status -> "'" + status.name() + "'")
        .sorted()
        .collect(Collectors.joining(", "));
  }
}
