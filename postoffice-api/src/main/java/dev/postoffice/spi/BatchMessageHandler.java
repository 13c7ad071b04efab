package dev.postoffice.spi;

import java.util.List;

/**
 * A {@link MessageHandler} that can settle several messages in one step, such as applying many Core App
 * acknowledgements in one store transaction. A transport that takes several messages from its broker at
 * once (the in-memory transport, RabbitMQ's consumer with a prefetch, an SQS receive of up to ten) hands
 * them to {@link #handleAll} together; a transport that has one message at hand may still call
 * {@link #handle}, so both must do the same thing.
 *
 * <p>Each message is settled with the broker only after {@code handleAll} returned, as its disposition says.
 * If {@code handleAll} throws, every message of the call counts as {@link Disposition#requeue}.
 */
public interface BatchMessageHandler extends MessageHandler {
  /**
   * Handles messages delivered together.
   *
   * @param messages the messages, at least one
   * @return one disposition per message, in the same order
   */
  List<Disposition> handleAll(List<InboundMessage> messages);

  /** Handles one message as a batch of one. */
  @Override
  default Disposition handle(InboundMessage message) {
    return handleAll(List.of(message)).get(0);
  }
}
