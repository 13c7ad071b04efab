package dev.postoffice.spi;

import dev.postoffice.model.RouteId;
import java.time.Instant;
import java.util.Objects;

/**
 * A route an operator paused: no stage claims its entries on any node until it is resumed; intake
 * still stores what arrives. Kept in the store, so every node sharing it obeys.
 *
 * @param route the paused route
 * @param pausedBy who paused it, for people
 * @param pausedAt when (the pausing caller's clock)
 */
public record RoutePause(RouteId route, String pausedBy, Instant pausedAt) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   */
  public RoutePause {
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(pausedBy, "pausedBy cannot be null");
    Objects.requireNonNull(pausedAt, "pausedAt cannot be null");
  }
}
