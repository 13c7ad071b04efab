package dev.postoffice.core.internal;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@code QUEUED} entries of an upstream route that the Core App has not acknowledged within the
 * route's timeout and moves them back to {@code JUST_IN}, so the publish stage sends them again with the
 * same message id (the receiver's dedup absorbs the copy). Each republish counts as an attempt, so an
 * entry the core never acknowledges ends {@code FAILED}.
 */
final class Republisher {
  private static final Logger log = LoggerFactory.getLogger(Republisher.class);
  static final int BATCH = 500;

  private final RouteDefinition route;
  private final EngineContext ctx;

  Republisher(RouteDefinition route, EngineContext ctx) {
    this.route = route;
    this.ctx = ctx;
  }

  /** Moves overdue entries back; returns how many. */
  int run() {
    Instant now = ctx.clock().instant();
    Instant cutoff = now.minus(route.settings().ackTimeout());
    List<Entry> overdue = ctx.store().query(
        new EntryQuery(route.id(), Layer.L4, Set.of(Status.QUEUED), cutoff, BATCH, false));
    int moved = 0;
    for (Entry entry : overdue) {
      String detail = "no acknowledgement within " + route.settings().ackTimeout() + "; publishing again";
      if (entry.attempts() >= route.settings().retry().maxAttempts()) {
        if (ctx.store().transition(entry.id(), EnumSet.of(Status.QUEUED), Status.FAILED,
            "gave up: no acknowledgement after " + entry.attempts() + " publish(es)", now).isPresent()) {
          log.error("route {}: entry {} never acknowledged by the Core App after {} publishes; failed",
              route.id(), entry.id(), entry.attempts());
        }
        continue;
      }
      if (ctx.store().transition(entry.id(), EnumSet.of(Status.QUEUED), Status.JUST_IN, detail, now)
          .isPresent()) {
        moved++;
      }
    }
    if (moved > 0) {
      log.warn("route {}: {} entries unacknowledged past {}; publishing them again", route.id(), moved,
          route.settings().ackTimeout());
    }
    return moved;
  }
}
