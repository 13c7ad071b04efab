package dev.postoffice.model;

import java.util.Objects;
import java.util.UUID;

/**
 * The id shared by every entry that descends from one original receipt (a partner message upstream,
 * a Core App message downstream). It travels to the Core App as a message header.
 *
 * @param value the id, at most {@value EntryId#MAX_LENGTH} characters
 */
public record TraceId(String value) {
  /**
   * Checks the value.
   *
   * @throws NullPointerException if value is null
   * @throws IllegalArgumentException if value is blank or too long
   */
  public TraceId {
    Objects.requireNonNull(value, "traceId cannot be null");
    if (value.isBlank() || value.length() > EntryId.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "traceId must be 1 to "
              + EntryId.MAX_LENGTH
              + " non-blank characters, but was '"
              + value
              + "'");
    }
  }

  /**
   * Returns a trace id for a string.
   *
   * @param value the id
   * @return the trace id
   */
  public static TraceId of(String value) {
    return new TraceId(value);
  }

  /**
   * Returns a new random trace id, time-ordered like {@link EntryId#random()}: the same UUID
   * (version 7) bits, written as 32 lowercase hex characters without dashes, which makes it a valid
   * W3C trace-id that travels in a {@code traceparent} as it is ({@link TraceParent}). Ids made
   * before, with dashes, stay valid.
   *
   * @return a random trace id
   */
  public static TraceId random() {
    UUID id = TimeOrderedIds.next();
    char[] hex = new char[32];
    TraceParent.hex(id.getMostSignificantBits(), hex, 0);
    TraceParent.hex(id.getLeastSignificantBits(), hex, 16);
    return new TraceId(new String(hex));
  }

  @Override
  public String toString() {
    return value;
  }
}
