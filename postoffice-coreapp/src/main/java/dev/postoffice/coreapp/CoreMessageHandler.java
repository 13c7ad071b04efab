package dev.postoffice.coreapp;

/**
 * The Core App's code for one kind of message from PostOffice. Called at most once per message id
 * for as long as the receipt log remembers it (redeliveries and republishes are absorbed). Throw
 * {@link dev.postoffice.RejectedInputException} for a message the core can never accept (it is
 * dead-lettered with your reason); any other exception makes the transport deliver it again. An
 * {@link Error} (an {@code AssertionError}, say) fails only its own message, the same way, and is
 * logged at ERROR with the message id: the other messages of its delivery batch stay handled and
 * never run again.
 *
 * @param <T> the core message type
 */
@FunctionalInterface
public interface CoreMessageHandler<T> {
  /**
   * Handles one message.
   *
   * @param message the decoded message
   * @param context its message id, trace id, route and headers
   * @throws Exception to have it delivered again
   */
  void handle(T message, CoreMessageContext context) throws Exception;
}
