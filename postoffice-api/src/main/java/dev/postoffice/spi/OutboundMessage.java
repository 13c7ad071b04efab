package dev.postoffice.spi;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A message to publish through a {@link Transport}.
 *
 * @param messageId the idempotency key receivers deduplicate on (upstream: the layer-4 entry id)
 * @param headers string headers, such as {@link Transport#HEADER_TRACE_ID}; never null
 * @param body the bytes (not copied: do not change the array after publishing)
 * @param contentType the body's media type
 */
public record OutboundMessage(
    String messageId, Map<String, String> headers, byte[] body, String contentType) {
  /**
   * Checks the arguments and copies the headers.
   *
   * @throws NullPointerException if messageId, body or contentType is null
   */
  public OutboundMessage {
    Objects.requireNonNull(messageId, "messageId cannot be null");
    Objects.requireNonNull(body, "body cannot be null");
    Objects.requireNonNull(contentType, "contentType cannot be null");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutboundMessage m
        && messageId.equals(m.messageId)
        && headers.equals(m.headers)
        && Arrays.equals(body, m.body)
        && contentType.equals(m.contentType);
  }

  @Override
  public int hashCode() {
    return Objects.hash(messageId, headers, Arrays.hashCode(body), contentType);
  }

  @Override
  public String toString() {
    return "OutboundMessage[" + messageId + ", " + contentType + ", " + body.length + " bytes]";
  }
}
