package dev.postoffice.core.internal.ack;

import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@code QUEUED} entries of an upstream route that the Core App has not acknowledged in time
 * and moves them back to {@code JUST_IN}, so the publish stage sends them again with the same
 * message id (the receiver's dedup absorbs the copy).
 *
 * <p>It never gives up: PostOffice does not give up on a message the Core App can still take, and
 * the Core App says so itself when it cannot (a negative acknowledgement makes the entry {@code
 * REJECTED}). Instead the wait grows: after the entry's {@code n}-th publish (its {@code attempts})
 * it waits {@code ackTimeout * 2^(n-1)}, capped at {@link #cap the larger of ackTimeout and the
 * retry policy's maxBackoff} (5 minutes, then every 10 at the defaults). So an outage of the Core
 * App of length {@code D} costs each waiting message about {@code log2(cap / ackTimeout) + D / cap}
 * publishes, and the queue holds that many copies at most. Past the route's {@code maxAttempts} it
 * logs, once, that the entry is still unacknowledged.
 */
public final class Republisher {
  private static final Logger log = LoggerFactory.getLogger(Republisher.class);
  static final int BATCH = 500;

  private final RouteDefinition route;
  private final EngineContext ctx;
  private final PipelineEvents events;

  public Republisher(RouteDefinition route, EngineContext ctx) {
    this.route = route;
    this.ctx = ctx;
    this.events = PipelineEvents.of(ctx);
  }

  /**
   * The longest wait for an acknowledgement between two publishes: the larger of ackTimeout and
   * maxBackoff.
   */
  static Duration cap(Duration ackTimeout, Duration maxBackoff) {
    return ackTimeout.compareTo(maxBackoff) >= 0 ? ackTimeout : maxBackoff;
  }

  /**
   * How long an entry published {@code attempts} times waits for its acknowledgement before the
   * next publish.
   */
  static Duration wait(Duration ackTimeout, Duration maxBackoff, int attempts) {
    Duration cap = cap(ackTimeout, maxBackoff);
    Duration wait = ackTimeout;
    for (int n = 1; n < attempts && wait.compareTo(cap) < 0; n++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(cap) < 0 ? wait : cap;
  }

  /** Moves overdue entries back; returns how many. */
  public int run() {
    Instant now = ctx.clock().instant();
    Duration ackTimeout = route.settings().ackTimeout();
    Duration maxBackoff = route.settings().retry().maxBackoff();
    int maxAttempts = route.settings().retry().maxAttempts();
    // Oldest first; those still within their (grown) wait are skipped. Past BATCH overdue entries,
    // a due one
    // can wait for the older ones to come due: at most one cap longer.
    List<Entry> overdue =
        ctx.store()
            .query(
                new EntryQuery(
                    route.id(),
                    Layer.L4,
                    Set.of(Status.QUEUED),
                    now.minus(ackTimeout).plusNanos(1),
                    BATCH,
                    false)); // the query's bound is strict; a wait of exactly ackTimeout is over
    int moved = 0;
    for (Entry entry : overdue) {
      Duration wait = wait(ackTimeout, maxBackoff, entry.attempts());
      if (entry.updatedAt().plus(wait).isAfter(now)) {
        continue;
      }
      String detail =
          "no acknowledgement within "
              + wait
              + " after publish "
              + entry.attempts()
              + "; publishing again";
      if (ctx.store()
          .transition(entry.id(), EnumSet.of(Status.QUEUED), Status.JUST_IN, detail, now)
          .isPresent()) {
        moved++;
        events.moved(entry, Status.QUEUED, Status.JUST_IN, detail, now);
        if (entry.attempts() == maxAttempts) {
          log.error(
              "route {}: entry {} still not acknowledged by the Core App after {} publishes; publishing it"
                  + " again every {} at most until it answers (an operator may replay or fail it)",
              route.id(),
              entry.id(),
              entry.attempts(),
              cap(ackTimeout, maxBackoff));
        }
      }
    }
    if (moved > 0) {
      log.warn(
          "route {}: {} entries unacknowledged past their wait (from {}); publishing them again",
          route.id(),
          moved,
          ackTimeout);
    }
    return moved;
  }
}
