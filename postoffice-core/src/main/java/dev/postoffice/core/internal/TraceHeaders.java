package dev.postoffice.core.internal;

import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import dev.postoffice.model.TraceParent;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The W3C trace context on the engine's way: which trace a message taken in belongs to, how an
 * entry's outputs keep the context, and what a message sent on carries. The rules themselves
 * (parsing, flags, tracestate) are {@link TraceParent}'s.
 */
public final class TraceHeaders {
  private static final Logger log = LoggerFactory.getLogger(TraceHeaders.class);

  private TraceHeaders() {}

  /**
   * Returns the trace id a message's valid {@code traceparent} gives it, or null when it has none
   * or an invalid one. An invalid one is ignored, never a reason to refuse the message: it is
   * logged at DEBUG, and the message starts a trace of its own.
   */
  public static TraceId received(Map<String, String> headers, RouteId route) {
    if (headers.isEmpty()) {
      return null; // most messages: no lookup
    }
    String header = headers.get(TraceParent.HEADER);
    if (header == null) {
      return null;
    }
    TraceParent parent = TraceParent.parse(header).orElse(null);
    if (parent == null) {
      log.debug(
          "route {}: ignoring an invalid {} header '{}'; the message gets a trace id of its own",
          route,
          TraceParent.HEADER,
          header.length() > 100 ? header.substring(0, 100) + "..." : header);
      return null;
    }
    return parent.toTraceId();
  }

  /**
   * Returns an output's headers with the trace context of its source added where the output sets
   * none, so every entry of a trace keeps the flags and tracestate it was received with.
   */
  public static Map<String, String> inherit(
      Map<String, String> source, Map<String, String> output) {
    if (source.isEmpty()) {
      return output; // most entries: nothing to carry
    }
    String parent = source.get(TraceParent.HEADER);
    String state = source.get(TraceParent.STATE_HEADER);
    boolean addParent = parent != null && !output.containsKey(TraceParent.HEADER);
    boolean addState = state != null && !output.containsKey(TraceParent.STATE_HEADER);
    if (!addParent && !addState) {
      return output;
    }
    Map<String, String> out = new HashMap<>(output);
    if (addParent) {
      out.put(TraceParent.HEADER, parent);
    }
    if (addState) {
      out.put(TraceParent.STATE_HEADER, state);
    }
    return out;
  }

  /**
   * Sets the trace context of a message sent on in {@code out}: a {@code traceparent} of the trace
   * with a new span id and the {@code tracestate} received with it; removes both when the trace id
   * cannot be a W3C trace-id, or the tracestate belongs to another trace.
   *
   * @param trace the entry's trace
   * @param received the entry's headers
   * @param out the message's headers, changed in place
   */
  public static void propagate(
      TraceId trace, Map<String, String> received, Map<String, String> out) {
    TraceParent next = TraceParent.next(trace, received).orElse(null);
    if (next == null) {
      out.remove(TraceParent.HEADER);
      out.remove(TraceParent.STATE_HEADER);
      return;
    }
    out.put(TraceParent.HEADER, next.format());
    String state = TraceParent.tracestate(trace, received).orElse(null);
    if (state == null) {
      out.remove(TraceParent.STATE_HEADER);
    } else {
      out.put(TraceParent.STATE_HEADER, state);
    }
  }
}
