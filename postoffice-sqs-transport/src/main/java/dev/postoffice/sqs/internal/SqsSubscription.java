package dev.postoffice.sqs.internal;

import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.Subscription;
import dev.postoffice.sqs.SqsTransportSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes one queue: a poller thread long-polls for as many messages as there are free handler
 * threads (at most ten per call), handlers run on their own threads, visibility is extended while a
 * handler runs, and the {@link Settler} settles each message after its handler returned. On a
 * standard queue a {@link BatchMessageHandler} gets each receive's messages in one call. A paused
 * subscription does not poll; messages a poll in flight brings in meanwhile, and messages received
 * but not yet handed to a handler, are released without reaching it.
 */
public final class SqsSubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(SqsSubscription.class);
  private static final Duration MIN_TICK = Duration.ofMillis(200);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);

  private final SqsClient client;
  private final String queue;
  private final String queueUrl;
  private final MessageHandler handler;

  /** Whether the handler takes batches. */
  private final boolean batched;

  private final SqsTransportSettings settings;
  private final Settler settler;
  private final Semaphore permits;
  private final ExecutorService handlers;
  private final Map<String, Delivery> inFlight = new ConcurrentHashMap<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final Duration tick;
  private final ScheduledFuture<?> extender;
  private final Thread poller;
  private boolean closed;

  /** Written under {@code this}; read without it before each receive and handler call. */
  private volatile boolean paused;

  /** A message a handler holds, with when its visibility was last set. */
  private static final class Delivery {
    final Message message;
    final Instant receivedAt;
    volatile Instant extendedAt;

    Delivery(Message message, Instant receivedAt) {
      this.message = message;
      this.receivedAt = receivedAt;
      this.extendedAt = receivedAt;
    }
  }

  /**
   * Starts consuming.
   *
   * @param client the client
   * @param queue the queue name, for messages
   * @param queueUrl the queue URL
   * @param deadLetterUrl resolves the URL of its dead-letter queue, when the first dead letter
   *     comes
   * @param handler the handler
   * @param settings the settings
   * @param scheduler runs linger timers and visibility extension
   * @param senders runs batch calls
   */
  public SqsSubscription(
      SqsClient client,
      String queue,
      String queueUrl,
      Supplier<String> deadLetterUrl,
      MessageHandler handler,
      SqsTransportSettings settings,
      ScheduledExecutorService scheduler,
      ExecutorService senders) {
    this.client = client;
    this.queue = queue;
    this.queueUrl = queueUrl;
    this.handler = handler;
    this.batched = handler instanceof BatchMessageHandler;
    this.settings = settings;
    this.settler =
        new Settler(client, queue, queueUrl, deadLetterUrl, settings, scheduler, senders);
    this.permits = new Semaphore(settings.prefetch());
    this.handlers =
        Executors.newFixedThreadPool(
            settings.consumerThreads(), Threads.daemon("postoffice-sqs-handler-" + queue));
    Duration third = settings.visibilityTimeout().dividedBy(3);
    this.tick = third.compareTo(MIN_TICK) < 0 ? MIN_TICK : third;
    this.extender =
        scheduler.scheduleAtFixedRate(
            () -> senders.execute(this::extendVisibility),
            tick.toMillis(),
            tick.toMillis(),
            TimeUnit.MILLISECONDS);
    this.poller = Threads.daemon("postoffice-sqs-poller-" + queue).newThread(this::poll);
    poller.start();
  }

  private void poll() {
    try {
      while (stop.getCount() > 0) {
        awaitResumed();
        permits.acquire();
        if (stop.getCount() == 0) {
          permits.release();
          break;
        }
        int wanted = 1;
        while (wanted < SqsTransportSettings.MAX_MESSAGES_PER_RECEIVE && permits.tryAcquire()) {
          wanted++;
        }
        List<Message> messages = receive(wanted);
        permits.release(wanted - messages.size());
        dispatch(messages);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks the poller while paused; {@link #resume()} and {@link #close()} wake it. */
  private synchronized void awaitResumed() throws InterruptedException {
    while (paused && !closed) {
      wait();
    }
  }

  @Override
  public synchronized void pause() {
    if (!closed && !paused) {
      paused = true;
      LOG.info("Consumer of SQS queue '{}' paused", queue);
    }
  }

  @Override
  public synchronized void resume() {
    if (!closed && paused) {
      paused = false;
      notifyAll();
      LOG.info("Consumer of SQS queue '{}' resumed", queue);
    }
  }

  private List<Message> receive(int max) throws InterruptedException {
    try {
      return client
          .receiveMessage(
              r ->
                  r.queueUrl(queueUrl)
                      .maxNumberOfMessages(max)
                      .waitTimeSeconds((int) settings.waitTime().getSeconds())
                      .visibilityTimeout((int) settings.visibilityTimeout().getSeconds())
                      .messageAttributeNames("All")
                      .messageSystemAttributeNames(
                          MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                          MessageSystemAttributeName.MESSAGE_GROUP_ID))
          .messages();
    } catch (RuntimeException e) {
      if (stop.getCount() > 0) {
        LOG.warn(
            "ReceiveMessage on SQS queue '{}' failed, trying again in {}: {}",
            queue,
            ERROR_PAUSE,
            e.toString());
        stop.await(ERROR_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
      }
      return List.of();
    }
  }

  /**
   * Hands received messages to handler threads. On FIFO queues the messages of one group run one
   * after the other in one task, in the order SQS gave them, so a group's order holds.
   */
  private void dispatch(List<Message> messages) {
    Map<String, List<Delivery>> tasks = new LinkedHashMap<>();
    Instant now = settings.clock().instant();
    for (Message m : messages) {
      // A batch handler on a standard queue takes the whole receive in one call; FIFO groups stay
      // one message
      // at a time, so a requeue holds back the rest of its group.
      String key = settings.fifo() ? groupOf(m) : batched ? "batch" : m.receiptHandle();
      tasks.computeIfAbsent(key, k -> new ArrayList<>()).add(new Delivery(m, now));
    }
    List<String> refused = new ArrayList<>();
    synchronized (this) {
      for (List<Delivery> task : tasks.values()) {
        if (closed) {
          task.forEach(d -> refused.add(d.message.receiptHandle()));
          permits.release(task.size());
          continue;
        }
        task.forEach(d -> inFlight.put(d.message.receiptHandle(), d));
        handlers.execute(
            () -> {
              if (batched && !settings.fifo()) {
                runBatch(task);
              } else {
                run(task);
              }
            });
      }
    }
    if (!refused.isEmpty()) {
      // Received while closing: put them back at once rather than after the visibility timeout.
      settler.changeVisibility(refused, 0);
    }
  }

  /**
   * The FIFO group: as SQS reports it, or else (some SQS look-alikes do not) as the sender derived
   * it.
   */
  private String groupOf(Message m) {
    String group = m.attributes().get(MessageSystemAttributeName.MESSAGE_GROUP_ID);
    if (group != null) {
      return group;
    }
    try {
      String key = MessageCodec.decode(m).headers().get(settings.orderingKeyHeader());
      return key == null || key.isEmpty()
          ? settings.defaultMessageGroupId()
          : MessageCodec.sqsId(key);
    } catch (RuntimeException e) {
      return settings.defaultMessageGroupId();
    }
  }

  private void run(List<Delivery> task) {
    boolean proceed = true;
    for (Delivery d : task) {
      String handle = d.message.receiptHandle();
      try {
        if (proceed && !isClosed() && paused) {
          inFlight.remove(handle);
          proceed =
              release(d); // received before the pause took hold: put back, not a delivery attempt
        } else if (proceed && !isClosed()) {
          proceed = handle(d);
        } else {
          // Closing, or an earlier message of this FIFO group was requeued: put it back unhandled.
          inFlight.remove(handle);
          settler.requeue(handle);
        }
      } finally {
        permits.release();
      }
    }
  }

  /**
   * Hands a standard queue's receive to the batch handler in one call, then settles each message.
   */
  private void runBatch(List<Delivery> task) {
    List<Delivery> taken = new ArrayList<>(task.size());
    List<InboundMessage> messages = new ArrayList<>(task.size());
    for (Delivery d : task) {
      String handle = d.message.receiptHandle();
      if (isClosed()) {
        inFlight.remove(handle);
        settler.requeue(handle);
        permits.release();
        continue;
      }
      try {
        messages.add(MessageCodec.decode(d.message));
        taken.add(d);
      } catch (RuntimeException e) {
        inFlight.remove(handle);
        settler.requeue(handle);
        permits.release();
        LOG.warn(
            "Cannot decode SQS message {} of queue '{}': {}; the redrive policy dead-letters it after {}"
                + " deliveries",
            d.message.messageId(),
            queue,
            e.toString(),
            settings.maxDeliveries());
      }
    }
    if (messages.isEmpty()) {
      return;
    }
    List<Disposition> dispositions =
        paused
            ? java.util.Collections.nCopies(
                messages.size(), Disposition.release("the subscription is paused"))
            : BatchMessageHandler.dispositions((BatchMessageHandler) handler, messages);
    for (int i = 0; i < messages.size(); i++) {
      String handle = taken.get(i).message.receiptHandle();
      try {
        inFlight.remove(handle);
        settle(handle, messages.get(i), dispositions.get(i));
      } finally {
        permits.release();
      }
    }
  }

  /** Releases one message without handing it to the handler; returns false (it was put back). */
  private boolean release(Delivery d) {
    try {
      settler.release(d.message.receiptHandle(), MessageCodec.decode(d.message));
    } catch (RuntimeException e) {
      settler.requeue(d.message.receiptHandle()); // undecodable: the redrive policy will catch it
    }
    return false;
  }

  /** Handles and settles one message; returns false if it was put back (requeued or released). */
  private boolean handle(Delivery d) {
    String handle = d.message.receiptHandle();
    InboundMessage message;
    try {
      message = MessageCodec.decode(d.message);
    } catch (RuntimeException e) {
      inFlight.remove(handle);
      settler.requeue(handle);
      LOG.warn(
          "Cannot decode SQS message {} of queue '{}': {}; the redrive policy dead-letters it after {}"
              + " deliveries",
          d.message.messageId(),
          queue,
          e.toString(),
          settings.maxDeliveries());
      return false;
    }
    Disposition disposition;
    try {
      disposition = handler.handle(message);
      if (disposition == null) {
        disposition = Disposition.requeue("the handler returned no disposition");
      }
    } catch (RuntimeException | Error e) {
      disposition = Disposition.requeue("the handler threw " + e);
    }
    inFlight.remove(handle);
    return settle(handle, message, disposition);
  }

  private boolean settle(String handle, InboundMessage message, Disposition disposition) {
    switch (disposition.kind()) {
      case ACK -> settler.ack(handle);
      case DEAD_LETTER -> settler.deadLetter(handle, message, disposition.reason());
      case REQUEUE -> {
        if (message.deliveryCount() >= settings.maxDeliveries()) {
          settler.deadLetter(
              handle,
              message,
              "requeued on delivery "
                  + message.deliveryCount()
                  + " of at most "
                  + settings.maxDeliveries()
                  + ": "
                  + disposition.reason());
        } else {
          settler.requeue(handle);
          return false;
        }
      }
      case RELEASE -> {
        settler.release(handle, message);
        return false;
      }
    }
    return true;
  }

  /** Keeps messages whose handler still runs invisible, up to the maximum extension. */
  private void extendVisibility() {
    Instant now = settings.clock().instant();
    List<String> due = new ArrayList<>();
    for (Delivery d : inFlight.values()) {
      boolean withinLimit =
          Duration.between(d.receivedAt, now).compareTo(settings.maxVisibilityExtension()) < 0;
      boolean stale = Duration.between(d.extendedAt, now).compareTo(tick.dividedBy(2)) >= 0;
      if (withinLimit && stale) {
        due.add(d.message.receiptHandle());
        d.extendedAt = now;
      }
    }
    if (!due.isEmpty()) {
      settler.changeVisibility(due, (int) settings.visibilityTimeout().getSeconds());
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Stops polling, waits for running handlers (up to the close timeout), then sends pending
   * settlements.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      notifyAll(); // a paused poller
    }
    stop.countDown();
    extender.cancel(false);
    handlers.shutdown();
    try {
      if (!handlers.awaitTermination(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "Handlers of SQS queue '{}' still run after {}; interrupting them",
            queue,
            settings.closeTimeout());
        handlers.shutdownNow();
        handlers.awaitTermination(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      // The long poll in flight cannot be cut short without losing what SQS hands it: wait for it
      // to
      // return (within the wait time); the poller puts back whatever it received.
      poller.join(settings.waitTime().plusSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    settler.close(settings.closeTimeout());
  }
}
