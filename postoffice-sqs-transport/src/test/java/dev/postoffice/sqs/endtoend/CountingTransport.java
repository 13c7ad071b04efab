package dev.postoffice.sqs.endtoend;

import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.spi.TransportCapabilities;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Wraps a transport to count how often the broker delivers each message id, and to stall one publish (as a
 * slow broker or a paused consumer would) until a condition holds.
 */
final class CountingTransport implements Transport {
  final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final Transport delegate;
  private final Map<String, BooleanSupplier> holds = new ConcurrentHashMap<>();

  CountingTransport(Transport delegate) {
    this.delegate = delegate;
  }

  /** @return deliveries beyond the first, over every message id */
  int redeliveries() {
    return deliveries.values().stream().mapToInt(n -> n.get() - 1).sum();
  }

  @Override
  public TransportCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void declare(String destination) {
    delegate.declare(destination);
  }

  @Override
  public String deadLetterDestination(String destination) {
    return delegate.deadLetterDestination(destination);
  }

  /** Makes the next publish of a message id wait, on the publishing thread, until the condition holds. */
  void holdNextPublishOf(String messageId, BooleanSupplier until) {
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
    return delegate.publish(destination, message);
  }

  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    return delegate.subscribe(destination, m -> {
      deliveries.computeIfAbsent(m.messageId(), k -> new AtomicInteger()).incrementAndGet();
      return handler.handle(m);
    });
  }

  @Override
  public void close() {
    delegate.close();
  }
}
