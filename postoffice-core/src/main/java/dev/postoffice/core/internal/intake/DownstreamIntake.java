package dev.postoffice.core.internal.intake;

import dev.postoffice.BacklogFullException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.internal.TraceHeaders;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.Entries;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.runner.HandOffReservation;
import dev.postoffice.core.internal.runner.StageRunner;
import dev.postoffice.core.internal.stage.OversizeRecorder;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.TraceId;
import dev.postoffice.model.TraceParent;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layer 4 downstream: stores each message from the Core App's queue as a {@code JUST_IN} entry
 * (deduplicated on the message id) and only then lets the transport acknowledge it; an oversized
 * message is recorded as rejected and dead-lettered with the reason. Messages the transport hands
 * over together are stored in one store call; when the backlog cannot take them all, one by one.
 *
 * <p>While the store is unavailable or the route's backlog is over its high-water mark, the route
 * cannot take messages, whatever they hold: it {@link Disposition#release releases} what it was
 * given (put back, not a delivery attempt, so the broker never dead-letters a message because
 * PostOffice was unavailable) and {@link Subscription#pause pauses} its subscription. A {@link
 * Prober} then asks the store for the backlog, first after {@value #FIRST_PROBE_MILLIS} ms and then
 * at intervals doubling up to {@value #MAX_PROBE_MILLIS} ms, measured from the start of each
 * attempt (time blocked in the store counts), and resumes the subscription once the store answers
 * with a backlog below the mark.
 */
public final class DownstreamIntake implements BatchMessageHandler {
  private static final Logger log = LoggerFactory.getLogger(DownstreamIntake.class);
  static final long FIRST_PROBE_MILLIS = 50;
  static final long MAX_PROBE_MILLIS = 1_000;

  private final RouteDefinition route;
  private final EngineContext ctx;
  private final BacklogGauge backlog;
  private final StageRunner first;
  private final OversizeRecorder oversize;
  private final PipelineEvents events;
  private final Object gate = new Object();
  private Subscription subscription; // guarded by gate
  private Thread prober; // guarded by gate; non-null while paused
  private volatile boolean paused;
  private volatile boolean running = true;

  public DownstreamIntake(
      RouteDefinition route, EngineContext ctx, BacklogGauge backlog, StageRunner first) {
    this.route = route;
    this.ctx = ctx;
    this.backlog = backlog;
    this.first = first;
    this.oversize = new OversizeRecorder(route, ctx);
    this.events = PipelineEvents.of(ctx);
  }

  /**
   * Subscribes to the route's source; a refusal before this returns pauses the subscription as soon
   * as it does.
   */
  public Subscription subscribe(Transport transport) {
    Subscription s = transport.subscribe(route.sourceDestination(), this);
    synchronized (gate) {
      subscription = s;
      if (paused) {
        s.pause();
      }
    }
    return s;
  }

  public void stop() {
    running = false;
    Thread p;
    synchronized (gate) {
      p = prober;
    }
    if (p != null) {
      p.interrupt();
    }
  }

  @Override
  public List<Disposition> handleAll(List<InboundMessage> messages) {
    events.redelivered(route.id(), route.sourceDestination(), messages);
    List<Disposition> out = new ArrayList<>(messages.size());
    List<Arrival> arrivals = new ArrayList<>(messages.size());
    for (InboundMessage message : messages) {
      Payload payload = Payload.of(message.body(), message.contentType());
      TraceId traceId = traceOf(message);
      if (payload.size() > route.settings().maxPayloadBytes()) {
        out.add(rejectOversized(message, payload, traceId));
      } else {
        arrivals.add(new Arrival(out.size(), message, payload, traceId));
        out.add(null);
      }
    }
    if (arrivals.size() > 1 && !paused) {
      try {
        backlog.check(arrivals.size());
        store(arrivals);
        arrivals.forEach(a -> out.set(a.index(), Disposition.ack()));
        return out;
      } catch (StoreUnavailableException e) {
        pause(e);
      } catch (BacklogFullException e) {
        log.debug(
            "route {}: storing {} messages together refused ({}); taking them one by one",
            route.id(),
            arrivals.size(),
            e.getMessage());
      }
    }
    for (Arrival a : arrivals) {
      out.set(a.index(), storeOne(a));
    }
    return out;
  }

  /** One message to store, with its place in the transport's batch. */
  private record Arrival(int index, InboundMessage message, Payload payload, TraceId traceId) {}

  private Disposition rejectOversized(InboundMessage message, Payload payload, TraceId traceId) {
    if (paused) {
      return released();
    }
    String reason;
    try {
      reason =
          oversize.record(
              payload,
              message.headers(),
              message.messageId(),
              traceId,
              Layer.L4,
              Direction.DOWNSTREAM);
    } catch (StoreUnavailableException e) {
      pause(e); // the rejection must be recorded before the message leaves the queue
      return released();
    }
    events.deadLettered(route.id(), route.sourceDestination(), message.messageId(), reason);
    return Disposition.deadLetter(reason);
  }

  private Disposition storeOne(Arrival arrival) {
    if (paused) {
      return released();
    }
    try {
      backlog.check(1);
      store(List.of(arrival));
      return Disposition.ack();
    } catch (BacklogFullException | StoreUnavailableException e) {
      pause(e);
      return released();
    }
  }

  private Disposition released() {
    return Disposition.release(
        "route "
            + route.id()
            + " cannot take messages now (store unavailable or"
            + " backlog over its mark); its consumer is paused");
  }

  /** Pauses the subscription and starts probing, unless paused already. */
  private void pause(RuntimeException cause) {
    synchronized (gate) {
      if (paused || !running) {
        return;
      }
      paused = true;
      log.warn(
          "route {}: pausing consumption of {}: {}; resuming once the store answers with a backlog below"
              + " the mark",
          route.id(),
          route.sourceDestination(),
          cause.getMessage());
      if (subscription != null) {
        subscription.pause();
      }
      Prober p = new Prober(System.nanoTime());
      prober = new Thread(p, "postoffice-" + route.id() + "-intake-probe");
      prober.setDaemon(true);
      prober.start();
    }
  }

  private void resume(long pausedAt) {
    synchronized (gate) {
      if (!running) {
        return;
      }
      paused = false;
      prober = null;
      if (subscription != null) {
        subscription.resume();
      }
    }
    log.info(
        "route {}: the store answers and the backlog is below its mark; consumption of {} resumed after {}"
            + " ms",
        route.id(),
        route.sourceDestination(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt));
  }

  /**
   * Asks the store for the route's backlog until it answers with one below the mark, then resumes.
   * Each attempt is due a growing interval after the previous one started, so a store call that
   * blocks long counts toward the wait rather than adding to it.
   */
  private final class Prober implements Runnable {
    private final long pausedAt;

    Prober(long pausedAt) {
      this.pausedAt = pausedAt;
    }

    @Override
    public void run() {
      long interval = TimeUnit.MILLISECONDS.toNanos(FIRST_PROBE_MILLIS);
      long due = pausedAt + interval;
      while (running) {
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            TimeUnit.NANOSECONDS.sleep(wait);
          } catch (InterruptedException e) {
            return; // stopping
          }
        }
        long attempt = System.nanoTime();
        try {
          backlog.checkNow(1);
          resume(pausedAt);
          return;
        } catch (BacklogFullException | StoreUnavailableException e) {
          log.debug("route {}: still paused: {}", route.id(), e.getMessage());
        } catch (RuntimeException e) {
          log.warn(
              "route {}: asking the store for the backlog failed; still paused", route.id(), e);
        }
        interval = Math.min(interval * 2, TimeUnit.MILLISECONDS.toNanos(MAX_PROBE_MILLIS));
        due = attempt + interval;
      }
    }
  }

  private void store(List<Arrival> arrivals) {
    Instant now = ctx.clock().instant();
    int n = arrivals.size();
    // The room not handed over (duplicates, or all of it if the store fails) is given back.
    try (HandOffReservation room = first.reserveHandOff(n)) {
      Lease lease =
          room.isHeld()
              ? new Lease(ctx.nodeId(), now.plus(route.settings().leaseDuration()))
              : null;
      List<NewEntry> entries = new ArrayList<>(n);
      for (Arrival a : arrivals) {
        entries.add(
            new NewEntry(
                EntryId.random(),
                route.id(),
                Direction.DOWNSTREAM,
                Layer.L4,
                a.payload(),
                a.message().headers(),
                null,
                a.traceId(),
                a.message().messageId(),
                Entries.PRODUCED_BY_INTAKE,
                lease));
      }
      List<IntakeResult> results = ctx.store().intake(entries, now);
      if (events.enabled()) {
        IntakeEvents.created(events, entries, results, now);
      }
      for (int i = 0; i < n; i++) {
        IntakeResult result = results.get(i);
        if (result.isDuplicate()) {
          log.debug(
              "route {}: message {} is a duplicate of entry {}",
              route.id(),
              arrivals.get(i).message().messageId(),
              result.duplicateOf());
        } else if (room.isHeld()) {
          room.handOff(Entries.preClaimed(entries.get(i), now));
        }
      }
    }
    backlog.added(n);
  }

  /**
   * The trace of a message: a valid traceparent's (spelled as the PostOffice trace id header when
   * that names the same trace, as a Core App answering a message sends both), else the header's,
   * else a new one.
   */
  private TraceId traceOf(InboundMessage message) {
    String header = message.headers().get(Transport.HEADER_TRACE_ID);
    TraceId own =
        header != null && !header.isBlank() && header.length() <= EntryId.MAX_LENGTH
            ? TraceId.of(header)
            : null;
    TraceId received = TraceHeaders.received(message.headers(), route.id());
    if (received != null
        && (own == null || !TraceParent.w3cTraceId(own).orElse("").equals(received.value()))) {
      return received;
    }
    return own != null ? own : TraceId.random();
  }
}
