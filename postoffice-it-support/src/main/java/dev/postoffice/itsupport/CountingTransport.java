package dev.postoffice.itsupport;

import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.ForwardingTransport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Wraps a transport to count how often the broker delivers each message id, and to stall one
 * publish (as a slow broker or a paused consumer would) until a condition holds.
 */
public final class CountingTransport extends ForwardingTransport {
  private final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final Map<String, BooleanSupplier> holds = new ConcurrentHashMap<>();

  /**
   * Wraps a transport.
   *
   * @param delegate the transport that carries the messages
   */
  public CountingTransport(Transport delegate) {
    super(delegate);
  }

  /**
   * @return how often each message id was delivered to a subscriber (live view)
   */
  public Map<String, AtomicInteger> deliveries() {
    return deliveries;
  }

  /**
   * @return deliveries beyond the first, over every message id
   */
  public int redeliveries() {
    return deliveries.values().stream().mapToInt(n -> n.get() - 1).sum();
  }

  /**
   * Makes the next publish of a message id wait, on the publishing thread, until the condition
   * holds (ten seconds at most).
   *
   * @param messageId the message whose next publish waits
   * @param until what the publish waits for
   */
  public void holdNextPublishOf(String messageId, BooleanSupplier until) {
    holds.put(messageId, until);
  }

  @Override
  public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
    BooleanSupplier until = holds.remove(message.messageId());
    if (until != null) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      Object monitor = new Object();
      while (!until.getAsBoolean() && System.nanoTime() - deadline < 0) {
        synchronized (monitor) {
          try {
            TimeUnit.MILLISECONDS.timedWait(monitor, 10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    return super.publish(destination, message);
  }

  @Override
  public List<CompletableFuture<Void>> publishAll(
      String destination, List<OutboundMessage> messages) {
    // One at a time through publish, so a held message id is held in a batch too.
    return publishEach(destination, messages);
  }

  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    return super.subscribe(
        destination,
        m -> {
          deliveries.computeIfAbsent(m.messageId(), k -> new AtomicInteger()).incrementAndGet();
          return handler.handle(m);
        });
  }
}
