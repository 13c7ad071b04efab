package dev.postoffice.core.memory;

import dev.postoffice.RejectedInputException;
import dev.postoffice.core.internal.Require;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.spi.TransportCapabilities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference {@link Transport}: bounded queues in this JVM's heap, consumed by one daemon thread
 * per subscription (named {@code postoffice-inmemory-<destination>}), which takes up to {@value
 * #PREFETCH} waiting messages at a time (like a broker's prefetch) and hands them to the handler
 * one after the other. The engine's tests and hosts' route tests use it; it passes the same {@code
 * TransportContract} as the broker transports.
 *
 * <p>Behaviour: a publish completes as soon as the message is in the queue ({@code
 * confirmsPublishes}); it fails, without enqueuing, when the transport is closed, the destination
 * was not declared, the body is larger than {@code maxMessageBytes}, or the destination holds
 * {@code capacityPerDestination} messages already (so memory stays bounded). Messages published
 * before anyone subscribes wait in the queue. Several subscriptions of one destination compete for
 * its messages. The handler is called synchronously, and its {@link Disposition} applied after it
 * returns: a requeued message goes to the back of the queue with its delivery count kept; once it
 * has been delivered {@code maxDeliveries} times, a requeue moves it to the dead-letter queue
 * {@code <destination>.dlq} instead. A released message goes to the back of the queue with the
 * delivery count it had before that delivery, however often it is released. A paused subscription
 * takes nothing from its queue until resumed; messages it had taken but not yet handed to its
 * handler go back to the head of the queue, their delivery count unchanged. Dead-letter queues are
 * not capacity-bounded: consume them.
 *
 * <p>Not durable: queued messages are gone when the JVM stops ({@code durable=false}).
 *
 * <p>For deterministic tests, {@link #isIdle()}, {@link #awaitIdle(Duration)} and {@link
 * #queued(String)} tell whether anything is left to deliver. Thread-safe.
 *
 * <pre>{@code
 * InMemoryTransport transport = InMemoryTransport.builder().maxDeliveries(3).build();
 * }</pre>
 */
public final class InMemoryTransport implements Transport {
  /** Default number of deliveries before a requeued message is dead-lettered. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** Default number of messages a destination holds before publishes to it fail. */
  public static final int DEFAULT_CAPACITY_PER_DESTINATION = 100_000;

  /** Default largest body accepted: 4 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  /** The most messages a subscription takes from its queue at once. */
  public static final int PREFETCH = 32;

  /** Appended to a destination's name to name its dead-letter queue. */
  public static final String DEAD_LETTER_SUFFIX = ".dlq";

  private final int maxDeliveries;
  private final int capacityPerDestination;
  private final TransportCapabilities capabilities;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();
  private final Map<String, MemoryQueue> queues = new HashMap<>();
  private final Set<MemorySubscription> subscriptions = new LinkedHashSet<>();
  private boolean closed;

  private InMemoryTransport(Builder b) {
    this.maxDeliveries = b.maxDeliveries;
    this.capacityPerDestination = b.capacityPerDestination;
    this.capabilities =
        TransportCapabilities.builder()
            .confirmsPublishes(true)
            .deliveryCount(true)
            .maxMessageBytes(b.maxMessageBytes)
            .build();
  }

  /**
   * Returns a transport with the defaults.
   *
   * @return the transport
   */
  public static InMemoryTransport create() {
    return builder().build();
  }

  /**
   * Returns a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public TransportCapabilities capabilities() {
    return capabilities;
  }

  /**
   * Returns the number of deliveries after which a requeue dead-letters a message.
   *
   * @return the configured maximum
   */
  public int maxDeliveries() {
    return maxDeliveries;
  }

  @Override
  public void declare(String destination) {
    Require.nonNull(destination, "destination");
    lock.lock();
    try {
      ensureOpen();
      queue(destination);
      queue(deadLetterDestination(destination));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String deadLetterDestination(String destination) {
    return Require.nonNull(destination, "destination") + DEAD_LETTER_SUFFIX;
  }

  /**
   * {@inheritDoc}
   *
   * <p>A body larger than {@code maxMessageBytes} fails the future with {@link
   * RejectedInputException}, naming the size and the limit.
   */
  @Override
  public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
    Require.nonNull(destination, "destination");
    Require.nonNull(message, "message");
    if (message.body().length > capabilities.maxMessageBytes()) {
      // Rejected, not retried: the message will never fit (the Transport contract).
      return CompletableFuture.failedFuture(
          new RejectedInputException(
              "message "
                  + message.messageId()
                  + " has "
                  + message.body().length
                  + " bytes, more than the maxMessageBytes limit of "
                  + capabilities.maxMessageBytes()
                  + " bytes of this transport"));
    }
    lock.lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "cannot publish message "
                    + message.messageId()
                    + " to '"
                    + destination
                    + "': the transport is closed"));
      }
      MemoryQueue q = queues.get(destination);
      if (q == null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "destination '"
                    + destination
                    + "' is not declared [Hint: call transport.declare(\""
                    + destination
                    + "\") first]"));
      }
      if (q.messages.size() + q.inFlight >= capacityPerDestination) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "destination '"
                    + destination
                    + "' is full: it holds "
                    + (q.messages.size() + q.inFlight)
                    + " messages, the capacityPerDestination"
                    + " limit of "
                    + capacityPerDestination
                    + " [Hint: subscribe to it, or raise the limit with"
                    + " InMemoryTransport.builder().capacityPerDestination(...)]"));
      }
      q.messages.addLast(new MemoryQueue.Held(message, 0));
      q.available.signal();
      return CompletableFuture.completedFuture(null);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<CompletableFuture<Void>> publishAll(
      String destination, List<OutboundMessage> messages) {
    Require.nonNull(destination, "destination");
    Require.nonNull(messages, "messages");
    List<CompletableFuture<Void>> futures = new ArrayList<>(messages.size());
    lock.lock();
    try {
      // One lock for the batch; each message gets exactly the outcome a publish of its own would
      // give.
      for (OutboundMessage message : messages) {
        futures.add(publish(destination, message));
      }
    } finally {
      lock.unlock();
    }
    return futures;
  }

  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    Require.nonNull(destination, "destination");
    Require.nonNull(handler, "handler");
    MemorySubscription subscription;
    lock.lock();
    try {
      ensureOpen();
      MemoryQueue q = queues.get(destination);
      if (q == null) {
        throw new IllegalStateException(
            "destination '"
                + destination
                + "' is not declared [Hint: call transport.declare(\""
                + destination
                + "\") first]");
      }
      subscription = new MemorySubscription(this, q, handler);
      q.subscribers++;
      subscriptions.add(subscription);
    } finally {
      lock.unlock();
    }
    subscription.start();
    return subscription;
  }

  /**
   * Tells whether nothing is left to deliver: no destination that has a subscription holds a
   * message, and no handler call is running. Messages waiting in destinations nobody subscribes to
   * do not count.
   *
   * @return true if idle
   */
  public boolean isIdle() {
    lock.lock();
    try {
      return idle();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until {@link #isIdle()} holds, or the timeout passes.
   *
   * @param timeout how long to wait at most
   * @return true if idle, false if the timeout passed first
   * @throws InterruptedException if the waiting thread is interrupted
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long nanos = Require.nonNull(timeout, "timeout").toNanos();
    lock.lock();
    try {
      while (!idle()) {
        if (nanos <= 0) {
          return false;
        }
        nanos = settled.awaitNanos(nanos);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns how many messages wait in a destination, not counting those being handled.
   *
   * @param destination the queue name
   * @return the number waiting; 0 for an undeclared destination
   */
  public int queued(String destination) {
    Require.nonNull(destination, "destination");
    lock.lock();
    try {
      MemoryQueue q = queues.get(destination);
      return q == null ? 0 : q.messages.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops every subscription, waiting for running handler calls; later publishes fail. Idempotent.
   */
  @Override
  public void close() {
    List<MemorySubscription> open;
    lock.lock();
    try {
      closed = true;
      open = new ArrayList<>(subscriptions);
    } finally {
      lock.unlock();
    }
    for (MemorySubscription s : open) {
      s.close();
    }
  }

  @Override
  public String toString() {
    return "InMemoryTransport[maxDeliveries="
        + maxDeliveries
        + ", capacityPerDestination="
        + capacityPerDestination
        + ", maxMessageBytes="
        + capabilities.maxMessageBytes()
        + "]";
  }

  /**
   * Blocks until a message is there for the subscription, then takes up to {@code max} waiting
   * ones; null once the subscription is closed.
   */
  List<MemoryQueue.Held> take(MemoryQueue q, MemorySubscription s, int max) {
    lock.lock();
    try {
      while (!s.isClosed() && (q.messages.isEmpty() || s.isPaused())) {
        q.available.awaitUninterruptibly();
      }
      if (s.isClosed()) {
        // Pass the wake-up on, so a message is not left waiting for a signal that went to a closed
        // consumer.
        q.available.signal();
        return null;
      }
      List<MemoryQueue.Held> taken = new ArrayList<>(Math.min(max, q.messages.size()));
      while (taken.size() < max && !q.messages.isEmpty()) {
        taken.add(q.messages.pollFirst());
      }
      q.inFlight += taken.size();
      if (!q.messages.isEmpty()) {
        q.available.signal(); // another subscription of this queue may take the rest
      }
      return taken;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies the handler's dispositions to the first {@code dispositions.size()} messages taken, and
   * puts the others (not handled because the subscription closed) back at the head of the queue, in
   * order, their delivery count unchanged.
   */
  void settle(MemoryQueue q, List<MemoryQueue.Held> taken, List<Disposition> dispositions) {
    lock.lock();
    try {
      for (int i = 0; i < dispositions.size(); i++) {
        apply(q, taken.get(i), dispositions.get(i));
      }
      for (int i = taken.size() - 1; i >= dispositions.size(); i--) {
        q.inFlight--;
        q.messages.addFirst(taken.get(i));
      }
      if (taken.size() > dispositions.size()) {
        q.available.signal();
      }
      settled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Applies one disposition; called under the lock. */
  private void apply(MemoryQueue q, MemoryQueue.Held held, Disposition d) {
    q.inFlight--;
    int deliveries = held.deliveries() + 1;
    switch (d.kind()) {
      case ACK -> {}
      case REQUEUE -> {
        if (deliveries >= maxDeliveries) {
          deadLetter(
              q,
              held.message(),
              "delivered "
                  + deliveries
                  + " times, the maxDeliveries limit; last"
                  + " requeued because: "
                  + d.reason());
        } else {
          q.messages.addLast(new MemoryQueue.Held(held.message(), deliveries));
          q.available.signal();
        }
      }
      case RELEASE -> {
        // Not a delivery attempt: it goes back with the count it had, so it never nears
        // maxDeliveries.
        q.messages.addLast(held);
        q.available.signal();
      }
      case DEAD_LETTER -> deadLetter(q, held.message(), d.reason());
      default -> throw new IllegalStateException("unknown disposition " + d.kind());
    }
  }

  /** Pauses or resumes a subscription: a paused one takes nothing from its queue. */
  void paused(MemoryQueue q, MemorySubscription s, boolean paused) {
    lock.lock();
    try {
      if (s.markPaused(paused) && !paused) {
        q.available
            .signalAll(); // its thread may wait for a message that arrived while it was paused
      }
    } finally {
      lock.unlock();
    }
  }

  void unsubscribe(MemoryQueue q, MemorySubscription s) {
    lock.lock();
    try {
      if (s.markClosed()) {
        q.subscribers--;
        subscriptions.remove(s);
        q.available.signalAll();
        settled.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void deadLetter(MemoryQueue from, OutboundMessage m, String reason) {
    Map<String, String> headers = new HashMap<>(m.headers());
    headers.put(HEADER_DEAD_LETTER_REASON, reason);
    MemoryQueue dlq = queue(deadLetterDestination(from.name));
    dlq.messages.addLast(
        new MemoryQueue.Held(
            new OutboundMessage(m.messageId(), headers, m.body(), m.contentType()), 0));
    dlq.available.signal();
  }

  private boolean idle() {
    for (MemoryQueue q : queues.values()) {
      if (q.inFlight > 0 || (q.subscribers > 0 && !q.messages.isEmpty())) {
        return false;
      }
    }
    return true;
  }

  private MemoryQueue queue(String name) {
    return queues.computeIfAbsent(name, n -> new MemoryQueue(n, lock.newCondition()));
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the transport is closed");
    }
  }

  /** Builds an {@link InMemoryTransport}. Not thread-safe. */
  public static final class Builder {
    private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
    private int capacityPerDestination = DEFAULT_CAPACITY_PER_DESTINATION;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

    private Builder() {}

    /**
     * Sets how many times a message is delivered before a requeue dead-letters it. Defaults to
     * {@value InMemoryTransport#DEFAULT_MAX_DELIVERIES}.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException if value is below 1
     */
    public Builder maxDeliveries(int value) {
      maxDeliveries = Require.atLeast(value, 1, "maxDeliveries");
      return this;
    }

    /**
     * Sets how many messages a destination holds (waiting or being handled) before publishes to it
     * fail. Defaults to {@value InMemoryTransport#DEFAULT_CAPACITY_PER_DESTINATION}.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException if value is below 1
     */
    public Builder capacityPerDestination(int value) {
      capacityPerDestination = Require.atLeast(value, 1, "capacityPerDestination");
      return this;
    }

    /**
     * Sets the largest body accepted. Defaults to {@value
     * InMemoryTransport#DEFAULT_MAX_MESSAGE_BYTES}.
     *
     * @param value at least 1
     * @return this builder
     * @throws IllegalArgumentException if value is below 1
     */
    public Builder maxMessageBytes(int value) {
      maxMessageBytes = Require.atLeast(value, 1, "maxMessageBytes");
      return this;
    }

    /**
     * Builds the transport.
     *
     * @return a new transport
     */
    public InMemoryTransport build() {
      return new InMemoryTransport(this);
    }
  }
}
