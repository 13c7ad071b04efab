package dev.postoffice.coreapp.internal;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import java.util.List;

/**
 * One message of a delivery batch and what the receiver has made of it so far. It ends in one of
 * three ways: handled (now or before), so its acknowledgement is sent and the broker settled by its
 * confirmation; refused for good, so PostOffice is told and the message dead-lettered; or failed,
 * so the broker delivers it again. Used by one thread at a time.
 */
final class Delivery {
  /**
   * How the dead letters of messages the Core App refused begin (and the entry's last error in
   * PostOffice).
   */
  static final String REFUSED = "rejected by the Core App: ";

  private final InboundMessage message;
  private boolean handled;
  private String refusal;
  private Disposition disposition;

  private Delivery(InboundMessage message) {
    this.message = message;
  }

  /**
   * Returns a delivery per message, in the same order.
   *
   * @param messages the messages the transport delivered together
   * @return their deliveries
   */
  static List<Delivery> of(List<InboundMessage> messages) {
    return messages.stream().map(Delivery::new).toList();
  }

  /**
   * @return the message as delivered
   */
  InboundMessage message() {
    return message;
  }

  /**
   * @return its message id
   */
  String id() {
    return message.messageId();
  }

  /** The message is handled (now or before): its acknowledgement is to be sent. */
  void handled() {
    handled = true;
  }

  /**
   * @return whether the message is handled and its acknowledgement is to be sent
   */
  boolean isHandled() {
    return handled;
  }

  /**
   * The Core App refuses the message for good: PostOffice is to be told why, then it is
   * dead-lettered.
   */
  void refuse(String reason) {
    refusal = String.valueOf(reason);
    disposition = Disposition.deadLetter(REFUSED + refusal);
  }

  /**
   * @return whether the message is refused and PostOffice is to be told
   */
  boolean isRefused() {
    return !handled && refusal != null;
  }

  /**
   * @return why the Core App refused it, as PostOffice is told (without {@link #REFUSED})
   */
  String refusal() {
    return refusal;
  }

  /**
   * Settles the message with the broker this way (a failure, or the outcome of its
   * acknowledgement).
   */
  void settle(Disposition value) {
    disposition = value;
  }

  /**
   * @return how the message is settled with the broker
   */
  Disposition disposition() {
    return disposition;
  }
}
