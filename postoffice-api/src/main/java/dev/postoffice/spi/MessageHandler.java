package dev.postoffice.spi;

/**
 * Handles messages a {@link Transport} delivers. The transport settles the message with the broker
 * only after this returns, as the returned {@link Disposition} says. An exception thrown here
 * counts as {@link Disposition#requeue} (a delivery attempt). A handler that is unavailable for a
 * while, rather than unable to handle a message, answers {@link Disposition#release} and {@link
 * Subscription#pause() pauses} its subscription. A handler that can settle several messages in one
 * step implements {@link BatchMessageHandler}.
 */
@FunctionalInterface
public interface MessageHandler {
  /**
   * Handles one message.
   *
   * @param message the message
   * @return what to do with it
   */
  Disposition handle(InboundMessage message);
}
