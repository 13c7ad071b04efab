package dev.postoffice.sqs.internal;

import dev.postoffice.PermanentFailureException;
import dev.postoffice.RejectedInputException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.sqs.SqsTransportSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;

/**
 * Publishes through {@code SendMessageBatch}: one {@link Batcher} per destination gathers up to ten
 * messages within the SQS batch size limit, and each message's future completes or fails on its
 * own, as SQS reports per entry.
 */
public final class Publisher {
  /** SQS takes at most ten entries per batch call. */
  public static final int MAX_BATCH = 10;

  private final SqsClient client;
  private final QueueRegistry queues;
  private final MessageCodec codec;
  private final SqsTransportSettings settings;
  private final ScheduledExecutorService scheduler;
  private final Executor senders;
  private final Map<String, Batcher<Pending>> batchers = new ConcurrentHashMap<>();
  private final Set<Pending> unconfirmed = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private record Pending(EncodedMessage message, CompletableFuture<Void> future) {}

  /**
   * Creates a publisher.
   *
   * @param client the client
   * @param queues the queue registry
   * @param settings the settings
   * @param scheduler runs linger timers
   * @param senders runs batch calls
   */
  public Publisher(
      SqsClient client,
      QueueRegistry queues,
      SqsTransportSettings settings,
      ScheduledExecutorService scheduler,
      Executor senders) {
    this.client = client;
    this.queues = queues;
    this.codec = new MessageCodec(settings);
    this.settings = settings;
    this.scheduler = scheduler;
    this.senders = senders;
  }

  /**
   * Publishes messages, lingering for company unless {@code flushNow}.
   *
   * @param destination the destination
   * @param messages the messages
   * @param flushNow whether to send without waiting for the linger
   * @return one future per message, in order
   */
  public List<CompletableFuture<Void>> publish(
      String destination, List<OutboundMessage> messages, boolean flushNow) {
    queues.queueName(destination);
    List<CompletableFuture<Void>> futures = new ArrayList<>(messages.size());
    List<Pending> accepted = new ArrayList<>(messages.size());
    for (OutboundMessage message : messages) {
      Require.nonNull(message, "message");
      CompletableFuture<Void> future = new CompletableFuture<>();
      futures.add(future);
      try {
        accepted.add(new Pending(codec.encode(message), future));
      } catch (RejectedInputException e) {
        future.completeExceptionally(e);
      }
    }
    if (accepted.isEmpty()) {
      return futures;
    }
    if (closed) {
      accepted.forEach(p -> p.future.completeExceptionally(closedError(p)));
      return futures;
    }
    for (Pending p : accepted) {
      unconfirmed.add(p);
      p.future.whenComplete((ok, error) -> unconfirmed.remove(p));
    }
    // On FIFO queues one batch at a time per queue, so messages reach SQS in the order they were
    // published.
    Batcher<Pending> batcher =
        batchers.computeIfAbsent(
            destination,
            d ->
                new Batcher<>(
                    MAX_BATCH,
                    settings.messageSizeLimit(),
                    settings.fifo() ? 1 : Integer.MAX_VALUE,
                    p -> p.message.size(),
                    settings.batchLinger(),
                    scheduler,
                    senders,
                    batch -> send(d, batch)));
    try {
      if (flushNow) {
        batcher.addAllAndFlush(accepted);
      } else {
        accepted.forEach(batcher::add);
      }
    } catch (IllegalStateException e) {
      accepted.forEach(p -> p.future.completeExceptionally(closedError(p)));
    }
    return futures;
  }

  private void send(String destination, List<Pending> batch) {
    String queue = queues.queueName(destination);
    try {
      List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
      for (int i = 0; i < batch.size(); i++) {
        EncodedMessage m = batch.get(i).message;
        entries.add(
            SendMessageBatchRequestEntry.builder()
                .id(Integer.toString(i))
                .messageBody(m.body())
                .messageAttributes(m.attributes())
                .messageGroupId(m.groupId())
                .messageDeduplicationId(m.deduplicationId())
                .build());
      }
      String url = queues.url(destination);
      SendMessageBatchResponse response =
          client.sendMessageBatch(r -> r.queueUrl(url).entries(entries));
      for (SendMessageBatchResultEntry ok : response.successful()) {
        batch.get(Integer.parseInt(ok.id())).future.complete(null);
      }
      for (BatchResultErrorEntry failed : response.failed()) {
        Pending p = batch.get(Integer.parseInt(failed.id()));
        String reason =
            "SQS refused message '"
                + p.message.message().messageId()
                + "' on queue '"
                + queue
                + "': "
                + failed.code()
                + " "
                + failed.message();
        p.future.completeExceptionally(
            Boolean.TRUE.equals(failed.senderFault())
                ? new PermanentFailureException(reason)
                : new TransientFailureException(reason));
      }
      for (Pending p : batch) {
        p.future.completeExceptionally(
            new TransientFailureException(
                "SQS did not report on message '"
                    + p.message.message().messageId()
                    + "' in its SendMessageBatch answer for queue '"
                    + queue
                    + "'"));
      }
    } catch (RuntimeException e) {
      for (Pending p : batch) {
        p.future.completeExceptionally(
            new TransientFailureException(
                "SendMessageBatch to SQS queue '"
                    + queue
                    + "' failed; message '"
                    + p.message.message().messageId()
                    + "' may or may not have arrived: "
                    + e.getMessage(),
                null,
                e));
      }
    }
  }

  /**
   * Refuses new publishes, sends the pending ones and waits for them; fails whatever SQS has not
   * confirmed by then.
   *
   * @param timeout how long to wait
   */
  public void close(Duration timeout) {
    closed = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Batcher<Pending> batcher : batchers.values()) {
      batcher.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
    for (Pending p : List.copyOf(unconfirmed)) {
      p.future.completeExceptionally(closedError(p));
    }
  }

  private static IllegalStateException closedError(Pending p) {
    return new IllegalStateException(
        "the SQS transport is closed; message '"
            + p.message.message().messageId()
            + "' was not confirmed and may or may not have arrived: publish it again with the same id");
  }
}
