package dev.postoffice.core.internal;

import dev.postoffice.BacklogFullException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.Transport;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layer 4 downstream: stores each message from the Core App's queue as a {@code JUST_IN} entry (deduplicated
 * on the message id) and only then lets the transport acknowledge it. While the route's backlog is full or
 * the store is down it holds the delivery (the broker keeps the rest), rather than requeueing it into a dead
 * letter; an oversized message is recorded as rejected and dead-lettered with the reason.
 */
final class DownstreamIntake implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(DownstreamIntake.class);
  static final long MAX_HOLD_MILLIS = 30_000;

  private final RouteDefinition route;
  private final EngineContext ctx;
  private final BacklogGauge backlog;
  private final StageRunner first;
  private final OversizeRecorder oversize;
  private volatile boolean running = true;

  DownstreamIntake(RouteDefinition route, EngineContext ctx, BacklogGauge backlog, StageRunner first) {
    this.route = route;
    this.ctx = ctx;
    this.backlog = backlog;
    this.first = first;
    this.oversize = new OversizeRecorder(route, ctx);
  }

  void stop() {
    running = false;
  }

  @Override
  public Disposition handle(InboundMessage message) {
    Payload payload = Payload.of(message.body(), message.contentType());
    TraceId traceId = traceOf(message);
    if (payload.size() > route.settings().maxPayloadBytes()) {
      String reason = oversize.record(payload, message.headers(), message.messageId(), traceId, Layer.L4,
          Direction.DOWNSTREAM);
      return Disposition.deadLetter(reason);
    }
    long waited = 0;
    long pause = 50;
    while (true) {
      try {
        backlog.check(1);
        store(message, payload, traceId);
        return Disposition.ack();
      } catch (BacklogFullException | StoreUnavailableException e) {
        if (!running || waited >= MAX_HOLD_MILLIS) {
          return Disposition.requeue(e.getMessage());
        }
        if (waited == 0) {
          log.warn("route {}: holding message {} from {}: {}", route.id(), message.messageId(),
              route.sourceDestination(), e.getMessage());
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return Disposition.requeue("interrupted while holding: " + e.getMessage());
        }
        waited += pause;
        pause = Math.min(pause * 2, 1000);
      }
    }
  }

  private void store(InboundMessage message, Payload payload, TraceId traceId) {
    Instant now = ctx.clock().instant();
    boolean fast = first.reserve(1);
    Lease lease = fast ? new Lease(ctx.nodeId(), now.plus(route.settings().leaseDuration())) : null;
    NewEntry entry = new NewEntry(EntryId.random(), route.id(), Direction.DOWNSTREAM, Layer.L4, payload,
        message.headers(), null, traceId, message.messageId(), UpstreamIntake.PRODUCED_BY, lease);
    IntakeResult result;
    try {
      result = ctx.store().intake(List.of(entry), now).get(0);
    } catch (RuntimeException e) {
      if (fast) {
        first.unreserve(1);
      }
      throw e;
    }
    if (result.isDuplicate()) {
      log.debug("route {}: message {} is a duplicate of entry {}", route.id(), message.messageId(),
          result.duplicateOf());
    }
    if (fast && !result.isDuplicate()) {
      first.handOff(Entries.preClaimed(entry, now));
    } else if (fast) {
      first.unreserve(1);
    }
    backlog.added(1);
  }

  private static TraceId traceOf(InboundMessage message) {
    String header = message.headers().get(Transport.HEADER_TRACE_ID);
    if (header != null && !header.isBlank() && header.length() <= EntryId.MAX_LENGTH) {
      return TraceId.of(header);
    }
    return TraceId.random();
  }
}
