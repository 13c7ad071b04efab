package dev.postoffice.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
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

  /**
   * Returns when this trace was created, read from the id itself: PostOffice's trace ids are
   * time-ordered (the UUID version 7 layout, whose first 48 bits are Unix milliseconds) and made at
   * intake, so a delivery's latency can be measured without reading the store. Both forms are read:
   * the 36-character UUID with dashes and the 32 lowercase hex digits of a W3C trace id with the
   * same bits. Any id in that layout is taken for one PostOffice made; there is no telling them
   * apart.
   *
   * @return the creation time to the millisecond, or empty if the id is not in that layout (a trace
   *     id a partner or the Core App chose)
   */
  public Optional<Instant> createdAt() {
    // Read in place, without copies: the engine asks once per delivered message.
    boolean dashed = value.length() == 36;
    if (!dashed && value.length() != 32) {
      return Optional.empty();
    }
    long millis = 0;
    int digit = 0;
    int version = -1;
    int variant = -1;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (dashed && (i == 8 || i == 13 || i == 18 || i == 23)) {
        if (c != '-') {
          return Optional.empty();
        }
        continue;
      }
      int d = hexDigit(c, dashed);
      if (d < 0) {
        return Optional.empty();
      }
      if (digit < 12) {
        millis = (millis << 4) | d;
      } else if (digit == 12) {
        version = d;
      } else if (digit == 16) {
        variant = d;
      }
      digit++;
    }
    // Version 7, and the IETF variant (10xx): the layout whose first 48 bits are the time.
    if (version != 7 || (variant & 0b1100) != 0b1000) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(millis));
  }

  /** A hex digit's value, or -1; upper case only in the UUID form (W3C ids are lower case). */
  private static int hexDigit(char c, boolean upperToo) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (upperToo && c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  @Override
  public String toString() {
    return value;
  }
}
