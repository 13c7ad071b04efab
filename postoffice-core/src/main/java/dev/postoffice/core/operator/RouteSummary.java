package dev.postoffice.core.operator;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.RoutePause;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A route at a glance, for an operator's overview: how many entries each layer holds in each
 * status, how long the oldest unfinished one has waited, and whether the route is paused.
 *
 * @param route the route
 * @param counts entries per layer and status; combinations with no entries are left out
 * @param oldestWaitingAge how long the unfinished entry ({@code JUST_IN}, {@code RETRYING} or
 *     {@code QUEUED}) that has gone longest without a status change has waited, any layer; empty if
 *     none is waiting
 * @param pause the route's pause; empty if it is not paused
 */
public record RouteSummary(
    RouteId route,
    Map<Layer, Map<Status, Long>> counts,
    Optional<Duration> oldestWaitingAge,
    Optional<RoutePause> pause) {
  /**
   * Checks and copies the arguments.
   *
   * @throws NullPointerException if an argument is null
   */
  public RouteSummary {
    Objects.requireNonNull(route, "route cannot be null");
    Map<Layer, Map<Status, Long>> copy = new EnumMap<>(Layer.class);
    counts.forEach((layer, byStatus) -> copy.put(layer, Map.copyOf(byStatus)));
    counts = Map.copyOf(copy);
    Objects.requireNonNull(oldestWaitingAge, "oldestWaitingAge cannot be null");
    Objects.requireNonNull(pause, "pause cannot be null");
  }

  /**
   * Counts the route's entries in a status, all layers together.
   *
   * @param status the status
   * @return how many
   */
  public long count(Status status) {
    return counts.values().stream().mapToLong(m -> m.getOrDefault(status, 0L)).sum();
  }

  /**
   * Tells whether the route is paused.
   *
   * @return true if paused
   */
  public boolean paused() {
    return pause.isPresent();
  }
}
