package dev.postoffice.rabbit.endtoend;

import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.spi.TransportCapabilities;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps the Core App's transport to count how often the broker delivers each message id. */
final class CountingTransport implements Transport {
  final Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
  private final Transport delegate;

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

  @Override
  public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
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
