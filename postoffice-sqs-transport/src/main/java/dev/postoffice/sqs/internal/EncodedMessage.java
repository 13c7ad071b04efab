package dev.postoffice.sqs.internal;

import dev.postoffice.spi.OutboundMessage;
import java.util.Map;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * A message as SQS will carry it.
 *
 * @param message the original message
 * @param body the SQS body: the text itself, or base64
 * @param attributes the message attributes
 * @param size the bytes SQS counts against its limits: body plus attribute names, types and values
 * @param groupId the FIFO {@code MessageGroupId}, or null on standard queues
 * @param deduplicationId the FIFO {@code MessageDeduplicationId}, or null on standard queues
 */
public record EncodedMessage(
    OutboundMessage message,
    String body,
    Map<String, MessageAttributeValue> attributes,
    int size,
    String groupId,
    String deduplicationId) {}
