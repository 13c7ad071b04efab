package dev.postoffice.coreapp;

import dev.postoffice.model.TraceParent;
import java.util.Map;
import java.util.Optional;

/**
 * What the Core App knows about a message besides its body. While the handler runs, the trace id is
 * also in the SLF4J MDC under {@value CoreAppReceiver#MDC_TRACE_ID}.
 *
 * @param messageId the idempotency key: the layer-4 entry id in PostOffice
 * @param traceId the trace id, to look the message up in PostOffice's operator API; null if absent
 * @param route the route it came through; null if absent
 * @param headers every header
 */
public record CoreMessageContext(
    String messageId, String traceId, String route, Map<String, String> headers) {

  /**
   * Returns the W3C {@code traceparent} the message came with: PostOffice's trace id as trace-id
   * and the span id of its publish, for the handler to continue the trace in its own tracing (as
   * the parent of its span).
   *
   * @return the header value, or empty if absent or invalid
   */
  public Optional<String> traceparent() {
    String header = headers == null ? null : headers.get(TraceParent.HEADER);
    return TraceParent.parse(header).map(TraceParent::format);
  }

  /**
   * Returns the W3C {@code tracestate} the message came with, to pass on unchanged.
   *
   * @return the header value, or empty if absent or there is no valid traceparent
   */
  public Optional<String> tracestate() {
    return traceparent().isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(headers.get(TraceParent.STATE_HEADER)).filter(s -> !s.isBlank());
  }
}
