package dev.postoffice.spi;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Asks a store for due entries of one route and layer.
 *
 * @param route the route
 * @param layer the layer whose entries to claim
 * @param limit the most entries to return, at least 1
 * @param owner the claiming node's id
 * @param leaseDuration how long the claim holds, from the store's now
 * @param now the caller's current time: recorded as the claimed entries' {@code updatedAt}; a store
 *     on a clock of its own (see {@link StatusStore}, "Time") judges what is due and when the lease
 *     expires on that clock
 */
public record ClaimRequest(
    RouteId route, Layer layer, int limit, String owner, Duration leaseDuration, Instant now) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if limit is below 1 or the lease is not positive
   */
  public ClaimRequest {
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(layer, "layer cannot be null");
    Objects.requireNonNull(owner, "owner cannot be null");
    Objects.requireNonNull(leaseDuration, "leaseDuration cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
    }
    if (leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException(
          "leaseDuration must be positive, but was " + leaseDuration);
    }
  }
}
