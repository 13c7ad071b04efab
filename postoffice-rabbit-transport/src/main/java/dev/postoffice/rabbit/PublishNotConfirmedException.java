package dev.postoffice.rabbit;

/**
 * Fails a publish the broker did not confirm: it nacked it, the confirm did not come within the
 * confirm timeout, the channel closed first, or the transport closed. The message may or may not
 * have reached the queue; publishing it again with the same message id is the safe answer, and
 * receivers deduplicate.
 */
public final class PublishNotConfirmedException extends RabbitTransportException {
  private static final long serialVersionUID = 1L;

  private final String messageId;

  /**
   * Creates the exception.
   *
   * @param messageId the message's id
   * @param why what happened instead of a confirm
   * @param cause the client library's error, or null
   */
  public PublishNotConfirmedException(String messageId, String why, Throwable cause) {
    super(
        "publish of message "
            + messageId
            + " was not confirmed: "
            + why
            + "; publish it again with the same message id",
        cause);
    this.messageId = messageId;
  }

  /**
   * @return the id of the message
   */
  public String messageId() {
    return messageId;
  }
}
