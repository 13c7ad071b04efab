package dev.postoffice.core.internal;

import dev.postoffice.BacklogFullException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layer 4 downstream: stores each message from the Core App's queue as a {@code JUST_IN} entry (deduplicated
 * on the message id) and only then lets the transport acknowledge it. While the route's backlog is full or
 * the store is down it holds the delivery (the broker keeps the rest), rather than requeueing it into a dead
 * letter; an oversized message is recorded as rejected and dead-lettered with the reason. Messages the
 * transport hands over together are stored in one store call; when that is refused (backlog full, store
 * down) they are taken one by one as above.
 */
final class DownstreamIntake implements BatchMessageHandler {
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
  public List<Disposition> handleAll(List<InboundMessage> messages) {
    List<Disposition> out = new ArrayList<>(messages.size());
    List<Arrival> arrivals = new ArrayList<>(messages.size());
    for (InboundMessage message : messages) {
      Payload payload = Payload.of(message.body(), message.contentType());
      TraceId traceId = traceOf(message);
      if (payload.size() > route.settings().maxPayloadBytes()) {
        out.add(Disposition.deadLetter(oversize.record(payload, message.headers(), message.messageId(), traceId,
            Layer.L4, Direction.DOWNSTREAM)));
      } else {
        arrivals.add(new Arrival(out.size(), message, payload, traceId));
        out.add(null);
      }
    }
    if (arrivals.size() > 1) {
      try {
        backlog.check(arrivals.size());
        store(arrivals);
        arrivals.forEach(a -> out.set(a.index(), Disposition.ack()));
        return out;
      } catch (BacklogFullException | StoreUnavailableException e) {
        log.debug("route {}: storing {} messages together refused ({}); taking them one by one", route.id(),
            arrivals.size(), e.getMessage());
      }
    }
    for (Arrival a : arrivals) {
      out.set(a.index(), holdAndStore(a));
    }
    return out;
  }

  /** One message to store, with its place in the transport's batch. */
  private record Arrival(int index, InboundMessage message, Payload payload, TraceId traceId) {}

  private Disposition holdAndStore(Arrival arrival) {
    InboundMessage message = arrival.message();
    long waited = 0;
    long pause = 50;
    while (true) {
      try {
        backlog.check(1);
        store(List.of(arrival));
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

  private void store(List<Arrival> arrivals) {
    Instant now = ctx.clock().instant();
    int n = arrivals.size();
    boolean fast = first.reserve(n);
    Lease lease = fast ? new Lease(ctx.nodeId(), now.plus(route.settings().leaseDuration())) : null;
    List<NewEntry> entries = new ArrayList<>(n);
    for (Arrival a : arrivals) {
      entries.add(new NewEntry(EntryId.random(), route.id(), Direction.DOWNSTREAM, Layer.L4, a.payload(),
          a.message().headers(), null, a.traceId(), a.message().messageId(), UpstreamIntake.PRODUCED_BY, lease));
    }
    List<IntakeResult> results;
    try {
      results = ctx.store().intake(entries, now);
    } catch (RuntimeException e) {
      if (fast) {
        first.unreserve(n);
      }
      throw e;
    }
    for (int i = 0; i < n; i++) {
      IntakeResult result = results.get(i);
      if (result.isDuplicate()) {
        log.debug("route {}: message {} is a duplicate of entry {}", route.id(),
            arrivals.get(i).message().messageId(), result.duplicateOf());
        if (fast) {
          first.unreserve(1);
        }
      } else if (fast) {
        first.handOff(Entries.preClaimed(entries.get(i), now));
      }
    }
    backlog.added(n);
  }

  private static TraceId traceOf(InboundMessage message) {
    String header = message.headers().get(Transport.HEADER_TRACE_ID);
    if (header != null && !header.isBlank() && header.length() <= EntryId.MAX_LENGTH) {
      return TraceId.of(header);
    }
    return TraceId.random();
  }
}
