package dev.postoffice;

import dev.postoffice.model.Payload;
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
}
