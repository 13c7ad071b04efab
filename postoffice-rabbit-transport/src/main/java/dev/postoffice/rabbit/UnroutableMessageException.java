package dev.postoffice.rabbit;

/**
 * Fails a publish the broker returned as unroutable: no queue is bound to the exchange with that
 * routing key, usually because the destination was never declared. The message was not stored by
 * the broker.
 */
public final class UnroutableMessageException extends RabbitTransportException {
  private static final long serialVersionUID = 1L;

  private final String messageId;
  private final String exchange;
  private final String routingKey;

  /**
   * Creates the exception.
   *
   * @param messageId the message's id
   * @param exchange the exchange it was published to
   * @param routingKey the routing key it carried
   * @param replyText the broker's explanation, such as {@code NO_ROUTE}
   */
  public UnroutableMessageException(
      String messageId, String exchange, String routingKey, String replyText) {
    super(
        "message "
            + messageId
            + " was returned as unroutable ("
            + replyText
            + ") by exchange '"
            + exchange
            + "' with routing key '"
            + routingKey
            + "' [Hint: call transport.declare(\"destination\") first, or"
            + " bind the queue when the host manages the topology]");
    this.messageId = messageId;
    this.exchange = exchange;
    this.routingKey = routingKey;
  }

  /**
   * @return the id of the returned message
   */
  public String messageId() {
    return messageId;
  }

  /**
   * @return the exchange it was published to
   */
  public String exchange() {
    return exchange;
  }

  /**
   * @return the routing key it carried
   */
  public String routingKey() {
    return routingKey;
  }
}
