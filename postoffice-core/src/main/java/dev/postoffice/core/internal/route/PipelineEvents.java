package dev.postoffice.core.internal.route;

import dev.postoffice.event.BacklogSampled;
import dev.postoffice.event.MessageDeadLettered;
import dev.postoffice.event.MessageDelivered;
import dev.postoffice.event.MessageRedelivered;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.PublishConfirmed;
import dev.postoffice.event.PublishFailed;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.NewEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the pipeline's listener about status changes, deliveries, broker confirms and publish
 * failures, dead-lettered and redelivered messages, and backlog samples. Callers report only what
 * the store has applied, and ask {@link #enabled()} first so that a pipeline without a listener
 * builds no event (the check is a field read, made once per batch). A listener that throws is
 * logged and ignored: it observes the work and must not fail it.
 */
public final class PipelineEvents {
  private static final Logger log = LoggerFactory.getLogger(PipelineEvents.class);

  private final PipelineListener listener;
  private final Clock clock;
  private final boolean enabled;

  public PipelineEvents(PipelineListener listener, Clock clock) {
    this.listener = listener;
    this.clock = clock;
    this.enabled = listener != null && listener != PipelineListener.EMPTY;
  }

  /** The events of an engine: its listener and clock. */
  public static PipelineEvents of(EngineContext ctx) {
    return new PipelineEvents(ctx.listener(), ctx.clock());
  }

  /** Whether a listener is set; when false every method here does nothing. */
  public boolean enabled() {
    return enabled;
  }

  /** An entry was created with {@code status} (taken in, or stored as a stage's output). */
  public void created(NewEntry n, Status status, String detail, Instant at) {
    changed(n.id(), n.traceId(), n.route(), n.direction(), n.layer(), null, status, detail, at);
  }

  /**
   * A stage's output was stored: {@code JUST_IN}, or, stored already finished, {@code JUST_IN} then
   * its move to {@code finishedAs}, two events as the store writes two history rows.
   */
  public void outputStored(NewEntry n, Instant at) {
    created(n, Status.JUST_IN, null, at);
    if (n.finishedAs() != null) {
      changed(
          n.id(),
          n.traceId(),
          n.route(),
          n.direction(),
          n.layer(),
          Status.JUST_IN,
          n.finishedAs(),
          n.finishedDetail(),
          at);
    }
  }

  /** An entry moved from {@code from} to {@code to}. */
  public void moved(Entry e, Status from, Status to, String detail, Instant at) {
    changed(e.id(), e.traceId(), e.route(), e.direction(), e.layer(), from, to, detail, at);
  }

  /** An entry's status changed; {@code from} null when it was created with {@code to}. */
  public void changed(
      EntryId id,
      TraceId traceId,
      RouteId route,
      Direction direction,
      Layer layer,
      Status from,
      Status to,
      String detail,
      Instant at) {
    if (!enabled) {
      return;
    }
    try {
      listener.onStatusChanged(
          new StatusChanged(id, traceId, route, direction, layer, from, to, detail, at));
    } catch (RuntimeException e) {
      log.warn("listener failed on onStatusChanged", e);
    }
  }

  /**
   * A message reached the end of its route.
   *
   * @param queuedAt when the broker's confirmation was recorded (upstream), or null if unknown
   */
  public void delivered(
      EntryId id,
      TraceId traceId,
      RouteId route,
      Direction direction,
      Instant queuedAt,
      Instant at) {
    if (!enabled) {
      return;
    }
    try {
      listener.onMessageDelivered(
          new MessageDelivered(
              id,
              traceId,
              route,
              direction,
              sinceIntake(id, traceId, at),
              queuedAt == null || queuedAt.isAfter(at) ? null : Duration.between(queuedAt, at),
              at));
    } catch (RuntimeException e) {
      log.warn("listener failed on onMessageDelivered", e);
    }
  }

  /**
   * How long since the route took the message in, read from ids without a store read: an entry's id
   * is made time-ordered at its route's intake and every output's id keeps its source's time prefix
   * ({@link EntryId#derive}), so the delivered entry's own id holds its route's intake time;
   * failing that (an id the host chose), the trace's, made at the start of its first route. Null
   * when neither is time-ordered, or when the engine's clock is behind the ids' (a test's clock).
   */
  static Duration sinceIntake(EntryId id, TraceId traceId, Instant at) {
    // TraceId reads the layout; an entry id is at most as long as a trace id may be.
    Optional<Instant> takenIn = TraceId.of(id.value()).createdAt().or(traceId::createdAt);
    if (takenIn.isEmpty() || takenIn.get().isAfter(at)) {
      return null;
    }
    return Duration.between(takenIn.get(), at);
  }

  /** The broker confirmed {@code messages} messages of one publish call. */
  public void publishConfirmed(RouteId route, String destination, int messages, long nanos) {
    if (!enabled) {
      return;
    }
    try {
      listener.onPublishConfirmed(
          new PublishConfirmed(
              route, destination, messages, Duration.ofNanos(nanos), clock.instant()));
    } catch (RuntimeException e) {
      log.warn("listener failed on onPublishConfirmed", e);
    }
  }

  /** A route's backlog was counted. */
  public void backlogSampled(RouteId route, long waiting) {
    if (!enabled) {
      return;
    }
    try {
      listener.onBacklogSampled(new BacklogSampled(route, waiting, clock.instant()));
    } catch (RuntimeException e) {
      log.warn("listener failed on onBacklogSampled", e);
    }
  }

  /** A publish call failed for {@code messages} of its messages. */
  public void publishFailed(RouteId route, String destination, int messages, String reason) {
    if (!enabled) {
      return;
    }
    try {
      listener.onPublishFailed(
          new PublishFailed(route, destination, messages, reason, clock.instant()));
    } catch (RuntimeException e) {
      log.warn("listener failed on onPublishFailed", e);
    }
  }

  /**
   * A consumed message is to be dead-lettered.
   *
   * @param route the route, or null for the acknowledgement queue
   */
  public void deadLettered(RouteId route, String source, String messageId, String reason) {
    if (!enabled) {
      return;
    }
    try {
      listener.onMessageDeadLettered(
          new MessageDeadLettered(route, source, messageId, reason, clock.instant()));
    } catch (RuntimeException e) {
      log.warn("listener failed on onMessageDeadLettered", e);
    }
  }

  /**
   * Reports each message of a consumed batch that the broker delivered before. Called once per
   * batch: without a listener, or with no redelivery, it allocates nothing.
   *
   * @param route the route, or null for the acknowledgement queue
   */
  public void redelivered(RouteId route, String source, List<InboundMessage> messages) {
    if (!enabled) {
      return;
    }
    for (InboundMessage message : messages) {
      if (message.redelivered() || message.deliveryCount() > 1) {
        try {
          listener.onMessageRedelivered(
              new MessageRedelivered(route, source, message.deliveryCount(), clock.instant()));
        } catch (RuntimeException e) {
          log.warn("listener failed on onMessageRedelivered", e);
        }
      }
    }
  }
}
