package dev.postoffice.coreapp.internal;

import dev.postoffice.RejectedInputException;
import dev.postoffice.coreapp.CoreMessageContext;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;

/**
 * Turns a delivered message into what the core's handler takes: the decoded message and its
 * context. A message the codec cannot decode is refused for good (it never will decode).
 *
 * @param <T> the core message type
 */
final class MessageDecoder<T> {
  /**
   * A message ready for the core's handler.
   *
   * @param value the decoded message
   * @param context its id, trace id, route and headers
   * @param <T> the core message type
   */
  record Decoded<T>(T value, CoreMessageContext context) {}

  private final Codec codec;
  private final Class<T> type;

  MessageDecoder(Codec codec, Class<T> type) {
    this.codec = codec;
    this.type = type;
  }

  /** Decodes the delivery's message; null, with the delivery refused, if it cannot be decoded. */
  Decoded<T> decode(Delivery delivery) {
    InboundMessage message = delivery.message();
    T value;
    try {
      // Only read, and only during this call: no copy of the body.
      value = codec.decode(Payload.wrap(message.body(), message.contentType()), type);
    } catch (RejectedInputException e) {
      delivery.refuse("undecodable: " + e.getMessage());
      return null;
    }
    CoreMessageContext context =
        new CoreMessageContext(
            message.messageId(),
            message.headers().get(Transport.HEADER_TRACE_ID),
            message.headers().get(Transport.HEADER_ROUTE),
            message.headers());
    return new Decoded<>(value, context);
  }
}
