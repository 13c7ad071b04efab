package dev.postoffice.core.internal.stage;

import dev.postoffice.PermanentFailureException;
import dev.postoffice.RejectedInputException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.core.internal.TraceHeaders;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.model.Entry;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Layer 4 upstream: publishes a batch of core messages with the entry id as message id and the
 * trace id as a header (and as a W3C {@code traceparent} with a span id of its own), then waits for
 * the broker's confirmations (all in flight at once, not one wait per message). A confirmed entry
 * becomes {@code QUEUED}; a refused or unconfirmed one is retried with the same id.
 */
public final class PublishLogic implements StageLogic {
  private final Transport transport;
  private final String destination;
  private final Duration confirmTimeout;
  private final LeaseGuard leases;
  private final RouteId route;
  private final PipelineEvents events;

  public PublishLogic(
      Transport transport,
      String destination,
      Duration confirmTimeout,
      LeaseGuard leases,
      RouteId route,
      PipelineEvents events) {
    this.transport = transport;
    this.destination = destination;
    this.confirmTimeout = confirmTimeout;
    this.leases = leases;
    this.route = route;
    this.events = events;
  }

  @Override
  public List<Outcome> work(List<Entry> claimed) {
    // Publish only what this node still holds: an entry another node took over is being published
    // there.
    List<Outcome> outcomes = new ArrayList<>(claimed.size());
    List<Entry> batch = new ArrayList<>(claimed.size());
    LeaseGuard.Batch held = leases.of(claimed);
    for (Entry entry : claimed) {
      RuntimeException refusal = held.refusal(entry);
      if (refusal != null) {
        outcomes.add(Outcome.failed(entry, refusal));
      } else {
        batch.add(entry);
      }
    }
    if (batch.isEmpty()) {
      return outcomes;
    }
    List<OutboundMessage> messages = new ArrayList<>(batch.size());
    for (Entry entry : batch) {
      // Room for the entry's headers and the four added here, so that the map is not resized.
      Map<String, String> headers = new HashMap<>((entry.headers().size() + 4) * 4 / 3 + 1);
      headers.putAll(entry.headers());
      headers.put(Transport.HEADER_TRACE_ID, entry.traceId().value());
      headers.put(Transport.HEADER_ROUTE, entry.route().value());
      TraceHeaders.propagate(entry.traceId(), entry.headers(), headers);
      messages.add(
          new OutboundMessage(
              entry.id().value(), headers, entry.payload().bytes(), entry.payload().contentType()));
    }
    List<CompletableFuture<Void>> confirms;
    long publishedAt = System.nanoTime();
    try {
      confirms = transport.publishAll(destination, messages);
    } catch (RuntimeException e) {
      batch.forEach(entry -> outcomes.add(Outcome.failed(entry, e)));
      if (events.enabled()) {
        events.publishFailed(route, destination, batch.size(), reason(e));
      }
      return outcomes;
    }
    long deadline = System.nanoTime() + confirmTimeout.toNanos();
    int unconfirmed = outcomes.size(); // the lease refusals: not the broker's doing
    for (int i = 0; i < batch.size(); i++) {
      Entry entry = batch.get(i);
      try {
        confirms.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        outcomes.add(
            Outcome.finished(entry, Status.QUEUED, "confirmed by the broker on " + destination));
      } catch (TimeoutException e) {
        outcomes.add(
            Outcome.failed(
                entry,
                new TransientFailureException(
                    "no broker confirmation within "
                        + confirmTimeout.toMillis()
                        + " ms for "
                        + destination)));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        // The transport says when retrying cannot help (a message too big for the broker): pass
        // that on.
        outcomes.add(
            Outcome.failed(
                entry,
                cause instanceof RejectedInputException
                        || cause instanceof PermanentFailureException
                    ? cause
                    : new TransientFailureException(
                        "publish to " + destination + " failed: " + cause.getMessage(),
                        null,
                        cause)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        outcomes.add(
            Outcome.failed(
                entry, new TransientFailureException("interrupted waiting for confirm")));
      }
    }
    reportConfirmed(outcomes, publishedAt);
    reportFailed(outcomes, unconfirmed);
    return outcomes;
  }

  /**
   * Tells the listener how many messages of this publish call the broker did not confirm, with the
   * first one's reason.
   *
   * @param from where this call's outcomes start in {@code outcomes} (after the lease refusals)
   */
  private void reportFailed(List<Outcome> outcomes, int from) {
    if (!events.enabled()) {
      return;
    }
    int failed = 0;
    Throwable first = null;
    for (int i = from; i < outcomes.size(); i++) {
      Throwable failure = outcomes.get(i).failure();
      if (failure != null) {
        failed++;
        first = first == null ? failure : first;
      }
    }
    if (failed > 0) {
      events.publishFailed(route, destination, failed, reason(first));
    }
  }

  private static String reason(Throwable failure) {
    return failure.getMessage() != null ? failure.getMessage() : failure.getClass().getName();
  }

  /** Tells the listener how many messages of this publish call the broker confirmed, and when. */
  private void reportConfirmed(List<Outcome> outcomes, long publishedAt) {
    if (!events.enabled()) {
      return;
    }
    long took = System.nanoTime() - publishedAt;
    int confirmed = 0;
    for (Outcome outcome : outcomes) {
      confirmed += outcome.status() == Status.QUEUED && outcome.failure() == null ? 1 : 0;
    }
    if (confirmed > 0) {
      events.publishConfirmed(route, destination, confirmed, took);
    }
  }
}
