package dev.postoffice.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.LongString;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Maps between the SPI's messages and AMQP properties. */
public final class Messages {
  /** Content type reported for a message that carries none. */
  public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  /** Prefix of made-up message ids (for messages published without one). */
  public static final String GENERATED_ID_PREFIX = "amqp-generated-";

  /** Header quorum queues set on redeliveries: how often the message was returned before. */
  static final String X_DELIVERY_COUNT = "x-delivery-count";

  /** Persistent delivery mode. */
  private static final int PERSISTENT = 2;

  private Messages() {}

  /**
   * Returns the properties of a persistent message carrying the message id, headers and content
   * type.
   *
   * @param message the message
   * @return its AMQP properties
   */
  public static AMQP.BasicProperties properties(OutboundMessage message) {
    return new AMQP.BasicProperties.Builder()
        .messageId(message.messageId())
        .contentType(message.contentType())
        .deliveryMode(PERSISTENT)
        .timestamp(new Date())
        .headers(new HashMap<>(message.headers()))
        .build();
  }

  /**
   * Returns the properties of a dead letter: the original's, persistent, with the message id made
   * explicit and the reason (and the queue it came from) in headers.
   *
   * @param original the delivered message's properties
   * @param messageId the id the handler saw (made up if the original had none)
   * @param reasonHeader the header carrying the reason
   * @param reason why it is dead-lettered
   * @param fromQueue the queue it was consumed from
   * @return the dead letter's properties
   */
  public static AMQP.BasicProperties deadLetter(
      AMQP.BasicProperties original,
      String messageId,
      String reasonHeader,
      String reason,
      String fromQueue) {
    Map<String, Object> headers = new HashMap<>();
    if (original.getHeaders() != null) {
      headers.putAll(original.getHeaders());
    }
    headers.put(reasonHeader, reason);
    headers.put("postoffice-dead-letter-queue", fromQueue);
    return original
        .builder()
        .messageId(messageId)
        .deliveryMode(PERSISTENT)
        .headers(headers)
        .build();
  }

  /**
   * Returns the id of a delivered message. A message published without one gets a random id:
   * RabbitMQ gives a message no identity that survives a redelivery, so such an id is not stable.
   *
   * @param properties the delivered properties
   * @return the message id
   */
  public static String messageId(AMQP.BasicProperties properties) {
    String id = properties.getMessageId();
    return id == null || id.isEmpty() ? GENERATED_ID_PREFIX + UUID.randomUUID() : id;
  }

  /**
   * Returns the number of earlier deliveries a quorum queue reports, or -1 if the header is absent.
   *
   * @param properties the delivered properties
   * @return the count, or -1
   */
  public static long brokerRedeliveries(AMQP.BasicProperties properties) {
    Map<String, Object> headers = properties.getHeaders();
    Object value = headers == null ? null : headers.get(X_DELIVERY_COUNT);
    return value instanceof Number n ? n.longValue() : -1;
  }

  /**
   * Builds the message handed to a handler. Headers become strings; those the broker adds ({@code
   * x-delivery-count}, {@code x-death}, {@code x-first-death-*}, {@code x-last-death-*}) are left
   * out.
   *
   * @param messageId the message id
   * @param envelope the delivery's envelope
   * @param properties the delivered properties
   * @param body the body
   * @param deliveryCount the delivery count, counting this one
   * @return the inbound message
   */
  public static InboundMessage inbound(
      String messageId,
      Envelope envelope,
      AMQP.BasicProperties properties,
      byte[] body,
      int deliveryCount) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (properties.getHeaders() != null) {
      properties
          .getHeaders()
          .forEach(
              (name, value) -> {
                if (value != null && !isBrokerHeader(name)) {
                  headers.put(name, text(value));
                }
              });
    }
    String contentType = properties.getContentType();
    return new InboundMessage(
        messageId,
        headers,
        body,
        contentType == null || contentType.isEmpty() ? DEFAULT_CONTENT_TYPE : contentType,
        deliveryCount,
        envelope.isRedeliver() || deliveryCount > 1);
  }

  /** Headers the broker adds on redelivery and dead-lettering; they are not the sender's. */
  private static boolean isBrokerHeader(String name) {
    return name.equals(X_DELIVERY_COUNT)
        || name.equals("x-death")
        || name.startsWith("x-first-death-")
        || name.startsWith("x-last-death-");
  }

  private static String text(Object value) {
    if (value instanceof LongString s) {
      return s.toString();
    }
    if (value instanceof byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    return String.valueOf(value);
  }
}
