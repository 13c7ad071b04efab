package dev.postoffice;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import dev.postoffice.model.TraceParent;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Dispatcher} knows about the entry it sends.
 *
 * @param route the route
 * @param entryId the layer-1 entry being dispatched
 * @param traceId the trace it belongs to
 * @param attempt 1 for the first try, then 2, 3, ...
 * @param headers the entry's headers, among them the W3C trace context the message was received
 *     with; never null
 */
public record DispatchContext(
    RouteId route, EntryId entryId, TraceId traceId, int attempt, Map<String, String> headers) {
  /** Copies the headers. */
  public DispatchContext {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * A context without headers.
   *
   * @param route the route
   * @param entryId the layer-1 entry being dispatched
   * @param traceId the trace it belongs to
   * @param attempt 1 for the first try, then 2, 3, ...
   */
  public DispatchContext(RouteId route, EntryId entryId, TraceId traceId, int attempt) {
    this(route, entryId, traceId, attempt, Map.of());
  }

  /**
   * Returns the key partners use to recognise a repeated request: the entry id, the same on every
   * attempt.
   *
   * @return the idempotency key
   */
  public String idempotencyKey() {
    return entryId.value();
  }

  /**
   * Returns the W3C {@code traceparent} header value for a request sent now: this trace's id, a new
   * span id on every call (each attempt is a span of its own), and the flags the trace was received
   * with (sampled when PostOffice began it).
   *
   * @return the header value, or empty if the trace id cannot be a W3C trace-id (a host's own id)
   */
  public Optional<String> traceparent() {
    return TraceParent.next(Objects.requireNonNull(traceId, "traceId cannot be null"), headers)
        .map(TraceParent::format);
  }

  /**
   * Returns the W3C {@code tracestate} header value received with this trace, to pass on unchanged.
   *
   * @return the header value, or empty if none came with this trace's traceparent
   */
  public Optional<String> tracestate() {
    return TraceParent.tracestate(traceId, headers);
  }
}
