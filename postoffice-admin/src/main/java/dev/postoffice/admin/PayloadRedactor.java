package dev.postoffice.admin;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Payload;

/**
 * Masks what a person must not read in the console, such as personal data, before a payload is
 * shown. Called for every payload the API returns, with the entry it belongs to (its route and
 * layer tell which fields are where). The stored payload is never changed.
 *
 * <pre>{@code
 * PayloadRedactor maskEmails = (entry, payload) -> Payload.ofUtf8(
 *     new String(payload.bytes(), UTF_8).replaceAll("[\\w.+-]+@[\\w.-]+", "***@***"),
 *     payload.contentType());
 * }</pre>
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface PayloadRedactor {
  /** Shows payloads as stored. */
  PayloadRedactor NONE = (entry, payload) -> payload;

  /**
   * Returns what the console may show of a payload.
   *
   * @param entry the entry the payload belongs to (without its payload)
   * @param payload the stored payload
   * @return the payload to show; the same one if nothing needs masking
   */
  Payload redact(Entry entry, Payload payload);
}
