package dev.postoffice.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
   * Returns a new random trace id, time-ordered like {@link EntryId#random()}.
   *
   * @return a random trace id
   */
  public static TraceId random() {
    return new TraceId(TimeOrderedIds.next().toString());
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
    String hex;
    if (value.length() == 36) {
      if (value.charAt(8) != '-'
          || value.charAt(13) != '-'
          || value.charAt(18) != '-'
          || value.charAt(23) != '-') {
        return Optional.empty();
      }
      hex =
          value.substring(0, 8)
              + value.substring(9, 13)
              + value.substring(14, 18)
              + value.substring(19, 23)
              + value.substring(24);
    } else if (value.length() == 32) {
      hex = value;
    } else {
      return Optional.empty();
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      boolean lowerHex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
      boolean upperHex = c >= 'A' && c <= 'F'; // UUID.fromString takes either case; W3C does not
      if (!lowerHex && !(upperHex && value.length() == 36)) {
        return Optional.empty();
      }
    }
    // Version 7, and the IETF variant (10xx): the layout whose first 48 bits are the time.
    if (hex.charAt(12) != '7' || "89abAB".indexOf(hex.charAt(16)) < 0) {
      return Optional.empty();
    }
    return Optional.of(Instant.ofEpochMilli(Long.parseLong(hex.substring(0, 12), 16)));
  }

  @Override
  public String toString() {
    return value;
  }
}
