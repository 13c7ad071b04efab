package dev.postoffice;

import dev.postoffice.model.Payload;
import dev.postoffice.model.TraceParent;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message as a partner sent it, before PostOffice understood it: bytes, headers and, where the
 * partner gives one, the key intake deduplicates on.
 *
 * @param payload the bytes and their content type
 * @param headers partner headers worth keeping (event type, signature id); never null
 * @param dedupKey a stable id of the partner's message (delivery id, order number), or null if none
 */
public record RawMessage(Payload payload, Map<String, String> headers, String dedupKey) {
  /** The longest dedup key accepted. */
  public static final int MAX_DEDUP_KEY_LENGTH = 200;

  /**
   * Checks the arguments and copies the headers.
   *
   * @throws NullPointerException if payload is null
   * @throws IllegalArgumentException if dedupKey is blank or longer than {@value
   *     #MAX_DEDUP_KEY_LENGTH}
   */
  public RawMessage {
    Objects.requireNonNull(payload, "payload cannot be null");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    if (dedupKey != null && (dedupKey.isBlank() || dedupKey.length() > MAX_DEDUP_KEY_LENGTH)) {
      throw new IllegalArgumentException(
          "dedupKey must be 1 to "
              + MAX_DEDUP_KEY_LENGTH
              + " non-blank characters or null, but was '"
              + dedupKey
              + "'");
    }
  }

  /**
   * Returns a message without headers or dedup key.
   *
   * @param payload the bytes
   * @return the message
   */
  public static RawMessage of(Payload payload) {
    return new RawMessage(payload, Map.of(), null);
  }

  /**
   * Returns a JSON message with a dedup key.
   *
   * @param json the JSON text
   * @param dedupKey the partner's message id, or null
   * @return the message
   */
  public static RawMessage json(String json, String dedupKey) {
    return new RawMessage(Payload.json(json), Map.of(), dedupKey);
  }

  /**
   * Returns a copy with one more header (replacing one of the same name).
   *
   * @param name the header name
   * @param value its value
   * @return the copy
   * @throws NullPointerException if name or value is null
   */
  public RawMessage withHeader(String name, String value) {
    Objects.requireNonNull(name, "name cannot be null");
    Objects.requireNonNull(value, "value cannot be null");
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new RawMessage(payload, more, dedupKey);
  }

  /**
   * Returns a copy that carries the W3C trace context the partner sent (the {@value
   * TraceParent#HEADER} and {@value TraceParent#STATE_HEADER} headers of its request): the message
   * then belongs to that trace, its trace id is the traceparent's trace-id, and PostOffice passes
   * the context on. An invalid traceparent is ignored when the message is taken in (it gets a trace
   * id of its own); it never refuses the message. Polling and file-drop code that reads a trace
   * context from the partner's records uses this.
   *
   * @param traceparent the traceparent header value, or null
   * @param tracestate the tracestate header value, or null
   * @return the copy (this message if both are null)
   */
  public RawMessage withTraceContext(String traceparent, String tracestate) {
    RawMessage out = this;
    if (traceparent != null) {
      out = out.withHeader(TraceParent.HEADER, traceparent);
    }
    if (tracestate != null) {
      out = out.withHeader(TraceParent.STATE_HEADER, tracestate);
    }
    return out;
  }
}
