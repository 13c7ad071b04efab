package dev.postoffice.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes one queue on a channel of its own with manual acknowledgements. Deliveries run on a
 * small pool (at most {@code prefetch} of them are ever queued), and each is settled after its
 * handler returns. A {@link BatchMessageHandler} gets the deliveries waiting when a worker becomes
 * free in one call, up to {@code prefetch / threads} of them, so that a backlog still spreads over
 * the handler threads.
 *
 * <p>Every delivery remembers the channel generation it arrived on; the generation moves on
 * whenever the channel shuts down. A delivery from an earlier generation is never acknowledged: its
 * tag would mean another message, or nothing, on the recovered channel. The broker redelivers it
 * instead and receivers deduplicate.
 *
 * <p>Recovery: a lost connection is recovered by the client with the consumer. Anything the client
 * does not recover is recovered here, logged, with a backoff from the recovery interval doubling up
 * to {@value #MAX_RECOVERY_BACKOFF_SECONDS} s: a channel closed by the broker (a channel-level
 * error, or RabbitMQ's {@code consumer_timeout}) is replaced by a new channel and the queue
 * consumed again; a consumer the broker cancelled (its queue deleted or moved) is subscribed again.
 *
 * <p>Pausing cancels the consumer (deliveries already prefetched are released without reaching the
 * handler) and resuming consumes again. A release is a nack with requeue that the {@link
 * DeliveryCounter} does not count as a delivery.
 */
public final class RabbitSubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitSubscription.class);
  static final int MAX_RECOVERY_BACKOFF_SECONDS = 30;

  /** How long {@link #close()} waits for running handler calls before it interrupts them. */
  static final Duration HANDLER_DRAIN = Duration.ofSeconds(30);

  private final Connection connection;
  private final String queue;
  private final String deadLetterQueue;
  private final MessageHandler handler;
  private final ConfirmingPublisher deadLetters;
  private final int prefetch;
  private final int maxBatch;
  private final int maxDeliveries;
  private final Duration confirmTimeout;
  private final Duration recoveryInterval;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService recoverer;
  private final DeliveryCounter counter = new DeliveryCounter();

  /**
   * Deliveries not handed to the handler yet (prefetched), by channel generation and tag: a
   * channel's death puts them back uncounted. One the handler has is an attempt, so that a message
   * that hangs its handler past RabbitMQ's consumer_timeout still reaches the dead-letter queue in
   * the end.
   */
  private final java.util.Map<Key, Delivery> unsettled =
      new java.util.concurrent.ConcurrentHashMap<>();

  private final AtomicLong generation = new AtomicLong();
  private final AtomicLong staleSettlementsSkipped = new AtomicLong();
  private final Queue<String> channelErrors = new ConcurrentLinkedQueue<>();

  /** Deliveries waiting for a worker, for batch handlers only. */
  private final Queue<Delivery> pending = new ConcurrentLinkedQueue<>();

  private final Object lock = new Object();
  private final com.rabbitmq.client.ShutdownListener shutdownListener = this::channelShutDown;
  private Channel channel; // guarded by lock
  private String consumerTag; // guarded by lock
  private final AtomicInteger recoveryAttempts = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicBoolean recoveryScheduled =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Written under lock; read without it before each handler call. */
  private volatile boolean paused;

  private volatile boolean closing;

  /**
   * Creates a subscription; {@link #start()} begins consuming.
   *
   * @param connection the consuming connection
   * @param queue the queue to consume
   * @param deadLetterQueue its dead-letter queue (the routing key on the dead-letter exchange)
   * @param handler the handler
   * @param deadLetters the publisher for the dead-letter exchange
   * @param prefetch the most unacknowledged deliveries
   * @param threads the number of handler threads
   * @param maxDeliveries deliveries before a requeued message is dead-lettered
   * @param confirmTimeout how long to wait for a dead letter's confirm
   * @param recoveryInterval the first pause before re-opening a channel or consumer the broker
   *     closed
   */
  public RabbitSubscription(
      Connection connection,
      String queue,
      String deadLetterQueue,
      MessageHandler handler,
      ConfirmingPublisher deadLetters,
      int prefetch,
      int threads,
      int maxDeliveries,
      Duration confirmTimeout,
      Duration recoveryInterval) {
    this.connection = connection;
    this.queue = queue;
    this.deadLetterQueue = deadLetterQueue;
    this.handler = handler;
    this.deadLetters = deadLetters;
    this.prefetch = prefetch;
    // A worker takes at most its share of the prefetch, so a backlog is spread over all the handler
    // threads
    // (a handler that works message by message, like the Core App receiver, keeps its parallelism).
    this.maxBatch = Math.max(1, prefetch / threads);
    this.maxDeliveries = maxDeliveries;
    this.confirmTimeout = confirmTimeout;
    this.recoveryInterval = recoveryInterval;
    this.recoverer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "postoffice-rabbit-recover-" + queue);
              t.setDaemon(true);
              return t;
            });
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "postoffice-rabbit-" + queue + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the channel and starts consuming.
   *
   * @throws IOException if the broker refuses (no such queue, say)
   */
  public void start() throws IOException {
    synchronized (lock) {
      openChannel();
      consume();
    }
  }

  /** Opens a channel for this subscription; called under lock. */
  private void openChannel() throws IOException {
    Channel ch = connection.createChannel();
    if (ch == null) {
      throw new IOException("no channel number left on the consuming connection");
    }
    ch.basicQos(prefetch);
    ch.addShutdownListener(shutdownListener);
    channel = ch;
  }

  /** Starts the consumer on the current channel; called under lock. */
  private void consume() throws IOException {
    consumerTag = channel.basicConsume(queue, false, new Consumer(channel));
  }

  /** Receives the deliveries of one basicConsume on one channel. */
  private final class Consumer extends DefaultConsumer {
    Consumer(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(
        String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      if (!getChannel().isOpen()) {
        // Dispatched after its channel died: the broker has requeued it already. (Should one slip
        // through
        // after recovery, the client drops acks of tags from before the recovery: belt and braces.)
        staleSettlementsSkipped.incrementAndGet();
        return;
      }
      long gen = generation.get();
      String messageId = Messages.messageId(props);
      int count =
          counter.count(messageId, Messages.brokerRedeliveries(props), envelope.isRedeliver());
      Delivery d = new Delivery(gen, envelope, props, body, messageId, count);
      unsettled.put(new Key(gen, envelope.getDeliveryTag()), d);
      if (handler instanceof BatchMessageHandler) {
        // Queued for whichever worker drains next: a worker takes everything waiting (up to the
        // prefetch) into one handleAll call, so batches grow with the load and no delivery waits
        // for one.
        pending.add(d);
        workers.execute(RabbitSubscription.this::drainBatch);
      } else {
        workers.execute(() -> deliver(d));
      }
    }

    @Override
    public void handleCancel(String tag) {
      // The broker cancelled the consumer (its queue was deleted, or a quorum queue's leader
      // moved).
      synchronized (lock) {
        if (tag.equals(consumerTag)) {
          consumerTag = null;
        }
      }
      if (!closing) {
        LOG.warn("consumer of {} was cancelled by the broker; subscribing again", queue);
        scheduleRecovery();
      }
    }
  }

  /**
   * Pauses: cancels the consumer; deliveries already prefetched are released without reaching the
   * handler.
   */
  @Override
  public void pause() {
    synchronized (lock) {
      if (closing || paused) {
        return;
      }
      paused = true;
      String tag = consumerTag;
      consumerTag = null;
      if (tag != null && channel != null && channel.isOpen()) {
        try {
          channel.basicCancel(tag);
        } catch (IOException | RuntimeException e) {
          // A channel that died meanwhile has no consumer left; recovery will not consume while
          // paused.
          LOG.debug("cancelling consumer of {} to pause failed", queue, e);
        }
      }
    }
    LOG.info("consumer of {} paused", queue);
  }

  /**
   * Resumes: consumes the queue again on the channel, or on a new one if the channel died
   * meanwhile.
   */
  @Override
  public void resume() {
    synchronized (lock) {
      if (closing || !paused) {
        return;
      }
      paused = false;
      if (channel == null || !channel.isOpen()) {
        scheduleRecovery();
        return;
      }
      try {
        consume();
      } catch (IOException | RuntimeException e) {
        LOG.warn("consuming {} again after a pause failed ({}); retrying", queue, e.toString());
        scheduleRecovery();
        return;
      }
    }
    LOG.info("consumer of {} resumed", queue);
  }

  /**
   * Schedules an attempt to re-open the channel and consume again, unless one is pending. Takes no
   * lock: it runs in the client's shutdown listener, whose thread must stay free to answer the RPCs
   * of lock holders.
   */
  private void scheduleRecovery() {
    if (closing || !recoveryScheduled.compareAndSet(false, true)) {
      return;
    }
    long first = Math.max(1, recoveryInterval.toMillis());
    long delay =
        Math.min(
            TimeUnit.SECONDS.toMillis(MAX_RECOVERY_BACKOFF_SECONDS),
            first << Math.min(recoveryAttempts.get(), 20));
    try {
      recoverer.schedule(this::recover, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      recoveryScheduled.set(false); // closing
    }
  }

  private void recover() {
    recoveryScheduled.set(false);
    synchronized (lock) {
      if (closing) {
        return;
      }
      boolean channelOpen = channel != null && channel.isOpen();
      if (channelOpen && (paused || consumerTag != null)) {
        recoveryAttempts.set(0);
        return; // nothing lost, or the client's own recovery got there first
      }
      int attempt = recoveryAttempts.incrementAndGet();
      try {
        if (!channelOpen) {
          abandon(channel);
          openChannel();
        }
        if (!paused) {
          consume();
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "re-subscribing to {} failed (attempt {}): {}; trying again",
            queue,
            attempt,
            e.toString());
        scheduleRecovery();
        return;
      }
      LOG.warn(
          "consumer of {} recovered{} after {} attempt(s)",
          queue,
          paused ? " (paused)" : "",
          attempt);
      recoveryAttempts.set(0);
    }
  }

  /**
   * Lets go of a channel the broker closed: the client keeps such a channel registered, and would
   * otherwise bring it back, with its consumer, at the next connection recovery.
   */
  private void abandon(Channel dead) {
    if (dead == null) {
      return;
    }
    dead.removeShutdownListener(
        shutdownListener); // it told its end already; aborting would tell it again
    try {
      dead.abort();
    } catch (IOException | RuntimeException e) {
      LOG.debug("aborting the dead consumer channel of {} failed", queue, e);
    }
  }

  /**
   * @return how many settlements were skipped because their channel had died since the delivery
   */
  public long staleSettlementsSkipped() {
    return staleSettlementsSkipped.get();
  }

  /**
   * @return the channel-level errors this subscription's channel was closed with (normally none)
   */
  public Queue<String> channelErrors() {
    return channelErrors;
  }

  private void channelShutDown(ShutdownSignalException cause) {
    generation.incrementAndGet();
    if (!cause.isInitiatedByApplication()) {
      // The broker puts back what the channel held. Deliveries no handler had yet were no attempt,
      // and must not
      // bring a message closer to maxDeliveries.
      for (Key k : List.copyOf(unsettled.keySet())) {
        Delivery d = unsettled.remove(k);
        if (d != null) {
          counter.released(d.messageId(), d.count());
        }
      }
    }
    if (!cause.isHardError() && !cause.isInitiatedByApplication()) {
      // The client recovers connections, not channels the broker closed: without this the queue
      // would not
      // be consumed again until a restart.
      channelErrors.add(String.valueOf(cause.getReason()));
      LOG.error(
          "consumer channel of {} closed by the broker: {}; opening a new one",
          queue,
          cause.getMessage());
      scheduleRecovery();
    } else if (!cause.isInitiatedByApplication()) {
      LOG.warn("consumer of {} lost its connection; it resumes after recovery", queue);
    }
  }

  private void deliver(Delivery d) {
    if (closing) {
      return; // not settled: the broker redelivers it once the channel closes
    }
    if (d.gen() != generation.get()) {
      staleSettlementsSkipped
          .incrementAndGet(); // its channel died: the broker redelivers it on the new one
      return;
    }
    InboundMessage message = admit(d);
    if (message == null) {
      return;
    }
    if (paused) {
      settleAs(d, message, Disposition.release("the subscription is paused"));
      return;
    }
    unsettled.remove(
        new Key(d.gen(), d.envelope().getDeliveryTag())); // handed over: now an attempt
    Disposition disposition;
    try {
      disposition = handler.handle(message);
      if (disposition == null) {
        disposition = Disposition.requeue("the handler returned no disposition");
      }
    } catch (Throwable e) { // an exception counts as requeue, as MessageHandler says
      LOG.debug("handler for {} threw on message {}", queue, message.messageId(), e);
      disposition = Disposition.requeue("the handler threw " + e);
    }
    settleAs(d, message, disposition);
  }

  /**
   * Takes the deliveries waiting (up to its share of the prefetch) and hands them to the batch
   * handler at once.
   */
  private void drainBatch() {
    List<Delivery> taken = new ArrayList<>();
    List<InboundMessage> messages = new ArrayList<>();
    Delivery d;
    while (messages.size() < maxBatch && (d = pending.poll()) != null) {
      if (closing) {
        continue; // not settled: the broker redelivers it once the channel closes
      }
      if (d.gen() != generation.get()) {
        staleSettlementsSkipped
            .incrementAndGet(); // its channel died: the broker redelivers it on the new one
        continue;
      }
      InboundMessage message = admit(d);
      if (message != null) {
        taken.add(d);
        messages.add(message);
      }
    }
    if (messages.isEmpty()) {
      return;
    }
    boolean release = paused;
    if (!release) {
      taken.forEach(
          t -> unsettled.remove(new Key(t.gen(), t.envelope().getDeliveryTag()))); // now attempts
    }
    List<Disposition> dispositions =
        release
            ? java.util.Collections.nCopies(
                messages.size(), Disposition.release("the subscription is paused"))
            : BatchMessageHandler.dispositions((BatchMessageHandler) handler, messages);
    for (int i = 0; i < messages.size(); i++) {
      settleAs(taken.get(i), messages.get(i), dispositions.get(i));
    }
  }

  /**
   * Counts the delivery; returns the message for the handler, or null if it was dead-lettered
   * instead.
   */
  private InboundMessage admit(Delivery d) {
    String messageId = d.messageId();
    int count = d.count();
    if (count > maxDeliveries) {
      deadLetter(
          d.gen(),
          d.envelope(),
          d.props(),
          d.body(),
          messageId,
          "delivered "
              + count
              + " times, more than maxDeliveries ("
              + maxDeliveries
              + "); the consumer stopped before settling it");
      return null;
    }
    return Messages.inbound(messageId, d.envelope(), d.props(), d.body(), count);
  }

  private void settleAs(Delivery d, InboundMessage message, Disposition disposition) {
    String messageId = message.messageId();
    int count = message.deliveryCount();
    switch (disposition.kind()) {
      case ACK -> settle(d.gen(), d.envelope().getDeliveryTag(), messageId, true, false);
      case DEAD_LETTER ->
          deadLetter(d.gen(), d.envelope(), d.props(), d.body(), messageId, disposition.reason());
      case REQUEUE -> {
        if (count >= maxDeliveries) {
          deadLetter(
              d.gen(),
              d.envelope(),
              d.props(),
              d.body(),
              messageId,
              "requeued on delivery "
                  + count
                  + " of maxDeliveries ("
                  + maxDeliveries
                  + "): "
                  + disposition.reason());
        } else {
          counter.requeued(messageId, count);
          settle(d.gen(), d.envelope().getDeliveryTag(), messageId, false, true);
        }
      }
      case RELEASE -> {
        // Not a delivery attempt: never dead-lettered for it, and the next delivery keeps this
        // one's count.
        counter.released(messageId, count);
        settle(d.gen(), d.envelope().getDeliveryTag(), messageId, false, true);
      }
    }
  }

  /**
   * A delivery with the channel generation it arrived on, its message id and its delivery count.
   */
  private record Delivery(
      long gen,
      Envelope envelope,
      AMQP.BasicProperties props,
      byte[] body,
      String messageId,
      int count) {}

  /** A delivery's channel generation and tag. */
  private record Key(long gen, long tag) {}

  private void deadLetter(
      long gen,
      Envelope envelope,
      AMQP.BasicProperties props,
      byte[] body,
      String messageId,
      String reason) {
    AMQP.BasicProperties dead =
        Messages.deadLetter(props, messageId, Transport.HEADER_DEAD_LETTER_REASON, reason, queue);
    try {
      deadLetters
          .publish(deadLetterQueue, messageId, dead, body)
          .get(confirmTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn(
          "could not dead-letter message {} of {} ({}); requeueing it",
          messageId,
          queue,
          e.toString());
      settle(gen, envelope.getDeliveryTag(), messageId, false, true);
      return;
    }
    LOG.info("dead-lettered message {} of {} to {}: {}", messageId, queue, deadLetterQueue, reason);
    settle(gen, envelope.getDeliveryTag(), messageId, true, false);
  }

  private void settle(long gen, long tag, String messageId, boolean ack, boolean requeue) {
    unsettled.remove(new Key(gen, tag));
    synchronized (lock) {
      if (gen != generation.get() || !channel.isOpen()) {
        staleSettlementsSkipped.incrementAndGet();
        LOG.debug(
            "not settling message {} of {}: its channel died since delivery; the broker redelivers it",
            messageId,
            queue);
        return;
      }
      try {
        if (ack) {
          channel.basicAck(tag, false);
          counter.settled(
              messageId); // only once done: else it comes again, and must keep its count
        } else {
          channel.basicNack(tag, false, requeue);
        }
      } catch (IOException | ShutdownSignalException e) {
        staleSettlementsSkipped.incrementAndGet();
        LOG.debug(
            "settling message {} of {} failed; the broker redelivers it", messageId, queue, e);
      }
    }
  }

  /**
   * Stops consuming: cancels the consumer, waits up to {@link #HANDLER_DRAIN} for running handler
   * calls (interrupting them after that, or at once if the calling thread is interrupted), then
   * closes the channel; the broker redelivers what was not settled.
   */
  @Override
  public void close() {
    synchronized (lock) {
      if (closing) {
        return;
      }
      closing = true;
      try {
        if (channel != null && channel.isOpen() && consumerTag != null) {
          channel.basicCancel(consumerTag);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("cancelling consumer of {} failed", queue, e);
      }
    }
    recoverer.shutdownNow();
    workers.shutdown();
    if (Thread.currentThread().getName().startsWith("postoffice-rabbit-" + queue + "-")) {
      // Closed from inside a handler: it cannot wait for itself; close the channel once the others
      // finish.
      Thread closer = new Thread(this::awaitAndCloseChannel, "postoffice-rabbit-close-" + queue);
      closer.setDaemon(true);
      closer.start();
    } else {
      awaitAndCloseChannel();
    }
  }

  private void awaitAndCloseChannel() {
    awaitTermination(workers, queue);
    synchronized (lock) {
      try {
        if (channel != null && channel.isOpen()) {
          channel.close();
        }
      } catch (IOException | RuntimeException | java.util.concurrent.TimeoutException e) {
        LOG.debug("closing consumer channel of {} failed", queue, e);
      }
    }
  }

  /**
   * Waits for the handlers to finish, at most {@link #HANDLER_DRAIN}; an interrupt ends the wait at
   * once.
   */
  private static void awaitTermination(ExecutorService executor, String queue) {
    try {
      if (!executor.awaitTermination(HANDLER_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "handlers of {} still run after {}; interrupting them, the broker redelivers their messages",
            queue,
            HANDLER_DRAIN);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      LOG.warn(
          "interrupted while waiting for the handlers of {}; interrupting them, the broker redelivers their"
              + " messages",
          queue);
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
