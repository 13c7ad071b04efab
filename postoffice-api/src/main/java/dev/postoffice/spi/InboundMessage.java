package dev.postoffice.spi;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message delivered by a {@link Transport} to a {@link MessageHandler}.
 *
 * @param messageId the sender's message id; a transport that receives a message without one makes
 *     one up that is stable across redeliveries where the broker allows it
 * @param headers string headers; never null
 * @param body the bytes
 * @param contentType the body's media type ({@code application/octet-stream} if the sender set
 *     none)
 * @param deliveryCount how many times this message has been delivered, counting this one, or 0 if
 *     the broker does not tell
 * @param redelivered whether the broker says it delivered this message before
 */
public record InboundMessage(
    String messageId,
    Map<String, String> headers,
    byte[] body,
    String contentType,
    int deliveryCount,
    boolean redelivered) {
  /**
   * Checks the arguments and copies the headers.
   *
   * @throws NullPointerException if messageId, body or contentType is null
   */
  public InboundMessage {
    Objects.requireNonNull(messageId, "messageId cannot be null");
    Objects.requireNonNull(body, "body cannot be null");
    Objects.requireNonNull(contentType, "contentType cannot be null");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboundMessage m
        && messageId.equals(m.messageId)
        && headers.equals(m.headers)
        && Arrays.equals(body, m.body)
        && contentType.equals(m.contentType)
        && deliveryCount == m.deliveryCount
        && redelivered == m.redelivered;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        messageId, headers, Arrays.hashCode(body), contentType, deliveryCount, redelivered);
  }

  @Override
  public String toString() {
    return "InboundMessage["
        + messageId
        + ", "
        + contentType
        + ", "
        + body.length
        + " bytes, delivery "
        + deliveryCount
        + "]";
  }
}
