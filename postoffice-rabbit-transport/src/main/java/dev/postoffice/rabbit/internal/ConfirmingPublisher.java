package dev.postoffice.rabbit.internal;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import dev.postoffice.rabbit.PublishNotConfirmedException;
import dev.postoffice.rabbit.UnroutableMessageException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes on one channel of its own with publisher confirms, asynchronously: a sorted map of
 * outstanding sequence numbers is settled by the confirm listener, and a semaphore bounds it (the
 * confirm window), so memory stays bounded whatever the caller does. Publishes are mandatory; the
 * return listener marks a returned message, whose confirm then fails its future.
 *
 * <p>Thread-safe: calls on the channel are serialized on a lock, because AMQP channels are not
 * thread-safe.
 */
public final class ConfirmingPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(ConfirmingPublisher.class);

  private final Connection connection;
  private final String exchange;
  private final String role;
  private final long confirmTimeoutNanos;
  private final Semaphore window;
  private final int windowSize;
  private final Object lock = new Object();
  private final ConcurrentSkipListMap<Long, PendingPublish> outstanding =
      new ConcurrentSkipListMap<>();
  private Channel channel; // guarded by lock
  private volatile boolean closed;

  /**
   * Creates a publisher; its channel opens on the first publish.
   *
   * @param connection the publishing connection
   * @param exchange the exchange every publish goes to
   * @param role what the channel is for, for logs (such as the destination)
   * @param windowSize the most unconfirmed publishes
   * @param confirmTimeout how long a publish waits for room and for its confirm
   */
  public ConfirmingPublisher(
      Connection connection,
      String exchange,
      String role,
      int windowSize,
      Duration confirmTimeout) {
    this.connection = connection;
    this.exchange = exchange;
    this.role = role;
    this.windowSize = windowSize;
    this.window = new Semaphore(windowSize);
    this.confirmTimeoutNanos = confirmTimeout.toNanos();
  }

  /**
   * Publishes one persistent, mandatory message. Waits (up to the confirm timeout) while the window
   * is full.
   *
   * @param routingKey the routing key (the queue name)
   * @param messageId the message id, for errors
   * @param properties the AMQP properties
   * @param body the body
   * @return a future completing on the broker's confirm
   */
  public CompletableFuture<Void> publish(
      String routingKey, String messageId, AMQP.BasicProperties properties, byte[] body) {
    if (closed) {
      return CompletableFuture.failedFuture(
          new PublishNotConfirmedException(messageId, "the transport is closed", null));
    }
    try {
      if (!window.tryAcquire(confirmTimeoutNanos, TimeUnit.NANOSECONDS)) {
        return CompletableFuture.failedFuture(
            new PublishNotConfirmedException(
                messageId,
                "the confirm window ("
                    + windowSize
                    + " outstanding publishes) stayed full for "
                    + Duration.ofNanos(confirmTimeoutNanos),
                null));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(
          new PublishNotConfirmedException(
              messageId, "interrupted while waiting for the window", e));
    }
    PendingPublish pending =
        new PendingPublish(
            messageId, routingKey, System.nanoTime() + confirmTimeoutNanos, window::release);
    synchronized (lock) {
      long seqNo = -1;
      try {
        Channel ch = channel();
        seqNo = ch.getNextPublishSeqNo();
        PendingPublish stale = outstanding.put(seqNo, pending);
        if (stale != null) { // left over from before a recovery restarted the sequence numbers
          stale.fail(
              new PublishNotConfirmedException(stale.messageId, "the channel was recovered", null));
        }
        ch.basicPublish(exchange, routingKey, true, properties, body);
      } catch (IOException | ShutdownSignalException e) {
        if (seqNo >= 0) {
          outstanding.remove(seqNo, pending);
        }
        pending.fail(
            new PublishNotConfirmedException(
                messageId, "the broker connection failed (" + e + ")", e));
      }
    }
    return pending.future;
  }

  /**
   * @return the number of publishes waiting for their confirm
   */
  public int outstanding() {
    return windowSize - window.availablePermits();
  }

  /** Fails every publish whose confirm is overdue; called periodically. */
  public void failOverdue() {
    long now = System.nanoTime();
    for (Map.Entry<Long, PendingPublish> e : outstanding.entrySet()) {
      PendingPublish p = e.getValue();
      if (now - p.deadlineNanos > 0 && outstanding.remove(e.getKey(), p)) {
        p.fail(
            new PublishNotConfirmedException(
                p.messageId, "no confirm within " + Duration.ofNanos(confirmTimeoutNanos), null));
      }
    }
  }

  /**
   * Waits up to a bound for outstanding confirms, then fails what is left and closes the channel.
   *
   * @param drain how long to wait for outstanding confirms
   */
  public void close(Duration drain) {
    closed = true;
    long deadline = System.nanoTime() + drain.toNanos();
    while (!outstanding.isEmpty() && System.nanoTime() - deadline < 0 && connection.isOpen()) {
      try {
        Thread.sleep(5); // close only: a bounded wait for in-flight confirms
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    failAll("the transport closed before the broker confirmed it", null);
    synchronized (lock) {
      if (channel != null && channel.isOpen()) {
        try {
          channel.close();
        } catch (IOException | ShutdownSignalException | java.util.concurrent.TimeoutException e) {
          LOG.debug("closing publishing channel {} failed", role, e);
        }
      }
    }
  }

  private Channel channel() throws IOException {
    if (channel != null && (channel.isOpen() || !connection.isOpen())) {
      // Open, or closed with its connection: automatic recovery brings the same channel object
      // back, and a
      // publish until then fails with AlreadyClosedException.
      if (!channel.isOpen()) {
        throw new AlreadyClosedException(
            new ShutdownSignalException(true, false, null, connection));
      }
      return channel;
    }
    Channel ch = connection.createChannel();
    if (ch == null) {
      throw new IOException("no channel available on connection " + connection);
    }
    ch.confirmSelect();
    ch.addConfirmListener(
        (seq, multiple) -> settle(seq, multiple, null),
        (seq, multiple) -> settle(seq, multiple, "the broker nacked it"));
    ch.addReturnListener(this::returned);
    ch.addShutdownListener(
        cause -> {
          if (!cause.isInitiatedByApplication()) {
            LOG.warn("publishing channel for {} closed: {}", role, cause.getMessage());
          }
          failAll(
              "the channel closed before the broker confirmed it (" + cause.getMessage() + ")",
              cause);
        });
    channel = ch;
    return ch;
  }

  private void settle(long seqNo, boolean multiple, String nackReason) {
    List<PendingPublish> done = new ArrayList<>();
    if (multiple) {
      ConcurrentNavigableMap<Long, PendingPublish> head = outstanding.headMap(seqNo, true);
      for (Map.Entry<Long, PendingPublish> e : head.entrySet()) {
        if (outstanding.remove(e.getKey(), e.getValue())) {
          done.add(e.getValue());
        }
      }
    } else {
      PendingPublish p = outstanding.remove(seqNo);
      if (p != null) {
        done.add(p);
      }
    }
    for (PendingPublish p : done) {
      if (nackReason == null) {
        p.confirm();
      } else {
        p.fail(new PublishNotConfirmedException(p.messageId, nackReason, null));
      }
    }
  }

  private void returned(Return ret) {
    String id = ret.getProperties().getMessageId();
    UnroutableMessageException error =
        new UnroutableMessageException(
            id, ret.getExchange(), ret.getRoutingKey(), ret.getReplyText());
    for (PendingPublish p : outstanding.values()) {
      if (p.messageId.equals(id) && p.routingKey.equals(ret.getRoutingKey())) {
        p.returned = error;
      }
    }
  }

  private void failAll(String why, Throwable cause) {
    for (Map.Entry<Long, PendingPublish> e : outstanding.entrySet()) {
      if (outstanding.remove(e.getKey(), e.getValue())) {
        e.getValue().fail(new PublishNotConfirmedException(e.getValue().messageId, why, cause));
      }
    }
  }
}
