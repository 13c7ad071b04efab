package dev.postoffice.sqs.internal;

import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import dev.postoffice.sqs.SqsTransportSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

/**
 * Settles received messages with SQS for one queue: deletes acknowledged ones and puts requeued
 * ones back (visibility 0), both in batch calls of up to ten; moves dead letters to the dead-letter
 * queue with the reason, then deletes the original; releases a message (put back, not a delivery
 * attempt) on a standard queue by sending a copy with the same message id and deleting the
 * original, since SQS counts every receive of a message toward the redrive policy's {@code
 * maxReceiveCount} and a visibility change does not reset that count; on a FIFO queue, where a copy
 * would go behind the rest of its group, by visibility 0. A failed settlement is logged: the
 * message comes back after its visibility timeout, and receivers deduplicate.
 */
final class Settler {
  private static final Logger LOG = LoggerFactory.getLogger(Settler.class);
  private static final int MAX_REASON = 1024;

  private final SqsClient client;
  private final String queue;
  private final String queueUrl;
  private final Supplier<String> deadLetterUrl;
  private final MessageCodec codec;
  private final Batcher<String> deletes;
  private final Batcher<String> releases;
  private final boolean fifo;

  Settler(
      SqsClient client,
      String queue,
      String queueUrl,
      Supplier<String> deadLetterUrl,
      SqsTransportSettings settings,
      ScheduledExecutorService scheduler,
      Executor senders) {
    this.client = client;
    this.queue = queue;
    this.queueUrl = queueUrl;
    this.deadLetterUrl = deadLetterUrl;
    this.codec = new MessageCodec(settings);
    this.fifo = settings.fifo();
    this.deletes =
        new Batcher<>(
            Publisher.MAX_BATCH,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            h -> 0,
            settings.batchLinger(),
            scheduler,
            senders,
            this::delete);
    this.releases =
        new Batcher<>(
            Publisher.MAX_BATCH,
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            h -> 0,
            settings.batchLinger(),
            scheduler,
            senders,
            batch -> changeVisibility(batch, 0));
  }

  void ack(String receiptHandle) {
    deletes.add(receiptHandle);
  }

  void requeue(String receiptHandle) {
    releases.add(receiptHandle);
  }

  /**
   * Puts a message back without it counting as a receive where SQS allows: on a standard queue a
   * copy with the same message id (receivers deduplicate on it, should the delete fail) is sent and
   * the original deleted; on a FIFO queue, to keep the group's order, it is made visible again,
   * which SQS counts as a receive. If the copy cannot be sent, the original is made visible again
   * rather than lost.
   */
  void release(String receiptHandle, InboundMessage message) {
    if (fifo) {
      requeue(receiptHandle);
      return;
    }
    try {
      EncodedMessage m =
          codec.encode(
              new OutboundMessage(
                  message.messageId(), message.headers(), message.body(), message.contentType()));
      client.sendMessage(
          r -> r.queueUrl(queueUrl).messageBody(m.body()).messageAttributes(m.attributes()));
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not put message '{}' back on SQS queue '{}' as a new copy ({}); making it visible again,"
              + " which SQS counts as a receive",
          message.messageId(),
          queue,
          e.toString());
      requeue(receiptHandle);
      return;
    }
    ack(receiptHandle);
  }

  /** Sends the message to the dead-letter queue with the reason, then deletes the original. */
  void deadLetter(String receiptHandle, InboundMessage message, String reason) {
    String shortReason =
        reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) + "..." : reason;
    Map<String, String> headers = new HashMap<>(message.headers());
    headers.put(Transport.HEADER_DEAD_LETTER_REASON, shortReason);
    try {
      EncodedMessage m =
          codec.encode(
              new OutboundMessage(
                  message.messageId(), headers, message.body(), message.contentType()));
      String url = deadLetterUrl.get();
      client.sendMessage(
          r ->
              r.queueUrl(url)
                  .messageBody(m.body())
                  .messageAttributes(m.attributes())
                  .messageGroupId(m.groupId())
                  .messageDeduplicationId(m.deduplicationId()));
    } catch (RuntimeException e) {
      LOG.warn(
          "Could not dead-letter message '{}' of SQS queue '{}' ({}); it comes back after its visibility"
              + " timeout, and the queue's redrive policy moves it once it exceeds max deliveries",
          message.messageId(),
          queue,
          e.toString());
      requeue(receiptHandle);
      return;
    }
    ack(receiptHandle);
  }

  /** Changes the visibility of messages now, in calls of up to ten. */
  void changeVisibility(List<String> receiptHandles, int seconds) {
    for (int from = 0; from < receiptHandles.size(); from += Publisher.MAX_BATCH) {
      List<String> part =
          receiptHandles.subList(from, Math.min(receiptHandles.size(), from + Publisher.MAX_BATCH));
      List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>(part.size());
      for (int i = 0; i < part.size(); i++) {
        entries.add(
            ChangeMessageVisibilityBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .receiptHandle(part.get(i))
                .visibilityTimeout(seconds)
                .build());
      }
      try {
        var response =
            client.changeMessageVisibilityBatch(r -> r.queueUrl(queueUrl).entries(entries));
        response
            .failed()
            .forEach(
                f ->
                    LOG.debug(
                        "ChangeMessageVisibility({}) on SQS queue '{}' failed: {} {}",
                        seconds,
                        queue,
                        f.code(),
                        f.message()));
      } catch (RuntimeException e) {
        LOG.warn(
            "ChangeMessageVisibilityBatch({}) on SQS queue '{}' failed: {}",
            seconds,
            queue,
            e.toString());
      }
    }
  }

  private void delete(List<String> receiptHandles) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>(receiptHandles.size());
    for (int i = 0; i < receiptHandles.size(); i++) {
      entries.add(
          DeleteMessageBatchRequestEntry.builder()
              .id(Integer.toString(i))
              .receiptHandle(receiptHandles.get(i))
              .build());
    }
    try {
      var response = client.deleteMessageBatch(r -> r.queueUrl(queueUrl).entries(entries));
      // A stale receipt handle (the message timed out and went to another consumer) lands here.
      response
          .failed()
          .forEach(
              f ->
                  LOG.info(
                      "Delete on SQS queue '{}' failed: {} {}; the message will be"
                          + " delivered again and deduplicated by the receiver",
                      queue,
                      f.code(),
                      f.message()));
    } catch (RuntimeException e) {
      LOG.warn(
          "DeleteMessageBatch on SQS queue '{}' failed: {}; the messages will be delivered again",
          queue,
          e.toString());
    }
  }

  /** Sends the pending deletes and releases and waits for them. */
  void close(Duration timeout) {
    deletes.close(timeout);
    releases.close(timeout);
  }
}
