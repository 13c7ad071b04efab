package dev.postoffice.core.internal.intake;

import dev.postoffice.BacklogFullException;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.StatusStore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Knows a route's backlog well enough to refuse intake past the high-water mark without asking the
 * store on every message: it counts the store at most every {@link #REFRESH_NANOS} and adds what
 * this node took in since. Other nodes' intake shows at the next refresh, so the mark is
 * approximate by a fraction of a second. Each count is reported to the listener ({@code
 * onBacklogSampled}), so the samples come at the same pace, and only while the route takes messages
 * in.
 */
public final class BacklogGauge {
  static final long REFRESH_NANOS = 250_000_000L;

  private final RouteId route;
  private final RouteSettings settings;
  private final StatusStore store;
  private final PipelineEvents events;
  private final AtomicLong sinceRefresh = new AtomicLong();
  private volatile long counted = -1;
  private volatile long countedAt;

  public BacklogGauge(
      RouteId route, RouteSettings settings, StatusStore store, PipelineEvents events) {
    this.route = route;
    this.settings = settings;
    this.store = store;
    this.events = events;
  }

  /** Throws if taking {@code count} more messages would pass the high-water mark. */
  void check(int count) {
    long backlog = current();
    if (backlog + count > settings.highWaterMark()) {
      // Refusing on a stale count would turn a drained route away for up to a refresh period: count
      // again.
      // A refusing node is not busy taking work in, so the extra query is cheap where it happens.
      backlog = recount();
    }
    if (backlog + count > settings.highWaterMark()) {
      throw new BacklogFullException(
          route, backlog, settings.highWaterMark(), settings.retryAfter());
    }
  }

  /**
   * Like {@link #check}, but always asks the store, so that it also tells whether the store
   * answers: throws {@code StoreUnavailableException} if it does not.
   */
  void checkNow(int count) {
    long backlog = recount();
    if (backlog + count > settings.highWaterMark()) {
      throw new BacklogFullException(
          route, backlog, settings.highWaterMark(), settings.retryAfter());
    }
  }

  void added(int count) {
    sinceRefresh.addAndGet(count);
  }

  private synchronized long recount() {
    counted = store.backlog(route);
    sinceRefresh.set(0);
    countedAt = System.nanoTime();
    events.backlogSampled(route, counted);
    return counted;
  }

  private long current() {
    long now = System.nanoTime();
    if (counted < 0 || now - countedAt > REFRESH_NANOS) {
      synchronized (this) {
        if (counted < 0 || now - countedAt > REFRESH_NANOS) {
          counted = store.backlog(route);
          sinceRefresh.set(0);
          countedAt = System.nanoTime();
          events.backlogSampled(route, counted);
        }
      }
    }
    return counted + sinceRefresh.get();
  }
}
