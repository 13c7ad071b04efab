package dev.postoffice.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link MessageHandler} that can settle several messages in one step, such as applying many Core
 * App acknowledgements in one store transaction. A transport that takes several messages from its
 * broker at once (the in-memory transport, RabbitMQ's consumer with a prefetch, an SQS receive of
 * up to ten) hands them to {@link #handleAll} together; a transport that has one message at hand
 * may still call {@link #handle}, so both must do the same thing.
 *
 * <p>Each message is settled with the broker only after {@code handleAll} returned, as its
 * disposition says. If {@code handleAll} throws, every message of the call counts as {@link
 * Disposition#requeue}.
 */
public interface BatchMessageHandler extends MessageHandler {
  /**
   * Handles messages delivered together.
   *
   * @param messages the messages, at least one
   * @return one disposition per message, in the same order
   */
  List<Disposition> handleAll(List<InboundMessage> messages);

  /**
   * Calls {@link #handleAll} the way a transport must: an exception (or error), a null result or
   * one of the wrong size counts as {@link Disposition#requeue} for every message, with the reason
   * saying what went wrong; a null disposition as a requeue of its message.
   *
   * @param handler the handler
   * @param messages the messages, at least one
   * @return one disposition per message, in the same order, none null
   */
  static List<Disposition> dispositions(
      BatchMessageHandler handler, List<InboundMessage> messages) {
    List<Disposition> answered;
    try {
      answered = handler.handleAll(messages);
    } catch (RuntimeException | Error e) { // even an AssertionError must not lose the batch
      return Collections.nCopies(messages.size(), Disposition.requeue("the handler threw " + e));
    }
    if (answered == null || answered.size() != messages.size()) {
      return Collections.nCopies(
          messages.size(),
          Disposition.requeue(
              "handleAll returned "
                  + (answered == null ? "null" : answered.size() + " dispositions")
                  + " for "
                  + messages.size()
                  + " messages"));
    }
    List<Disposition> out = new ArrayList<>(answered.size());
    for (Disposition d : answered) {
      out.add(d != null ? d : Disposition.requeue("the handler returned no disposition"));
    }
    return out;
  }

  /** Handles one message as a batch of one. */
  @Override
  default Disposition handle(InboundMessage message) {
    return handleAll(List.of(message)).get(0);
  }
}
