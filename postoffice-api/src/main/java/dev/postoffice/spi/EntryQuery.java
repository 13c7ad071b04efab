package dev.postoffice.spi;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Selects entries for operators and housekeeping. Unset criteria match everything. Results are
 * ordered by {@code updatedAt}, oldest first, then by id.
 *
 * @param route only this route, or null for all
 * @param layer only this layer, or null for all
 * @param statuses only these statuses; empty for all
 * @param updatedBefore only entries last updated strictly before this time, or null
 * @param limit the most entries to return, at least 1
 * @param withPayload whether to load payloads (listings usually do not need them)
 */
public record EntryQuery(
    RouteId route,
    Layer layer,
    Set<Status> statuses,
    Instant updatedBefore,
    int limit,
    boolean withPayload) {
  /**
   * Checks and copies the arguments.
   *
   * @throws IllegalArgumentException if limit is below 1
   */
  public EntryQuery {
    statuses =
        statuses == null || statuses.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(Objects.requireNonNull(statuses)));
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
    }
  }

  /**
   * Returns a query for entries of a route in some statuses, without payloads.
   *
   * @param route the route
   * @param limit the most entries to return
   * @param statuses the statuses
   * @return the query
   */
  public static EntryQuery of(RouteId route, int limit, Status... statuses) {
    return new EntryQuery(route, null, Set.of(statuses), null, limit, false);
  }
}
