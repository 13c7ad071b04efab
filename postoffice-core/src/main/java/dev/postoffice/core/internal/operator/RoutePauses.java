package dev.postoffice.core.internal.operator;

import dev.postoffice.model.RouteId;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node knows of the routes operators paused: the store's {@link
 * StatusStore#pausedRoutes()}, read again when the last read is older than the refresh interval, by
 * whichever worker asks first (the others use the last read meanwhile). A pause therefore takes
 * effect on every node within about one interval. A store without the operator methods pauses
 * nothing; a failed read keeps the last one.
 */
public final class RoutePauses {
  private static final Logger log = LoggerFactory.getLogger(RoutePauses.class);

  private final StatusStore store;
  private final long refreshNanos;
  private volatile Boolean supported; // null until the store answered
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile Set<RouteId> paused = Set.of();
  private volatile long readAt;
  private volatile boolean read;
  private volatile boolean failing;

  /**
   * Creates the view of a store's pauses.
   *
   * @param store the store
   * @param refresh how long a read is trusted; zero reads on every question
   */
  public RoutePauses(StatusStore store, Duration refresh) {
    this.store = store;
    this.refreshNanos = refresh.toNanos();
  }

  /**
   * Tells whether a route is paused, reading the store first if the last read is too old.
   *
   * @param route the route
   * @return true if no stage should claim its entries now
   */
  public boolean isPaused(RouteId route) {
    if (!supported()) {
      return false;
    }
    if (!read) {
      // Nothing read yet: no answer from the empty set while another worker's first read is under
      // way (a route paused before the pipeline started would be worked on); first reads may run
      // side by side.
      refresh();
    } else if (System.nanoTime() - readAt >= refreshNanos && reading.compareAndSet(false, true)) {
      try {
        refresh();
      } finally {
        reading.set(false);
      }
    }
    return paused.contains(route);
  }

  /** Asks the store once whether it keeps pauses; a store that cannot answer now is asked again. */
  private boolean supported() {
    Boolean known = supported;
    if (known == null) {
      try {
        known = store.capabilities().operatorApi();
        supported = known;
      } catch (RuntimeException e) {
        return false;
      }
    }
    return known;
  }

  private void refresh() {
    long now = System.nanoTime();
    try {
      Set<RouteId> latest = Set.copyOf(store.pausedRoutes().keySet());
      if (!latest.equals(paused)) {
        log.info("paused routes are now {} (no stage on this node claims their entries)", latest);
      }
      paused = latest;
      if (failing) {
        log.info("the paused routes can be read again");
        failing = false;
      }
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn(
            "cannot read the paused routes; keeping the last read {}: {}", paused, e.toString());
        failing = true;
      }
    }
    readAt = now;
    read = true;
  }
}
