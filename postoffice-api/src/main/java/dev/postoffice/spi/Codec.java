package dev.postoffice.spi;

import dev.postoffice.RejectedInputException;
import dev.postoffice.model.Payload;

/** Turns typed models into payloads and back, between layers. Thread-safe. */
public interface Codec {
  /**
   * Encodes a value.
   *
   * @param value the value
   * @return its payload
   * @throws IllegalArgumentException if the value cannot be encoded (a programming error)
   */
  Payload encode(Object value);

  /**
   * Decodes a payload.
   *
   * @param payload the payload
   * @param type the type to decode into
   * @param <T> the type
   * @return the value
   * @throws RejectedInputException if the payload does not match the type, naming what was wrong
   */
  <T> T decode(Payload payload, Class<T> type);
}
