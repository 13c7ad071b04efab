package dev.postoffice.testkit;

import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.spi.TransportCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Transport} that passes every call on to another, for decorators that watch or change a
 * few calls: extend it and override only those. Every method forwards, {@code publishAll} too, so
 * the wrapped transport's own batching still runs. A subclass that changes {@link #publish} should
 * override {@link #publishAll} as well, usually with {@link #publishEach}, or batches would pass it
 * by.
 *
 * <pre>{@code
 * Transport counting = new ForwardingTransport(transport) {
 *   @Override
 *   public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
 *     published.incrementAndGet();
 *     return super.publish(destination, message);
 *   }
 *
 *   @Override
 *   public List<CompletableFuture<Void>> publishAll(String destination, List<OutboundMessage> messages) {
 *     return publishEach(destination, messages);
 *   }
 * };
 * }</pre>
 */
public abstract class ForwardingTransport implements Transport {
  private final Transport delegate;

  /**
   * Wraps a transport.
   *
   * @param delegate the transport every call goes to
   * @throws NullPointerException if delegate is null
   */
  protected ForwardingTransport(Transport delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
  }

  /**
   * @return the transport every call goes to
   */
  protected final Transport delegate() {
    return delegate;
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
  public List<CompletableFuture<Void>> publishAll(
      String destination, List<OutboundMessage> messages) {
    return delegate.publishAll(destination, messages);
  }

  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    return delegate.subscribe(destination, handler);
  }

  @Override
  public void close() {
    delegate.close();
  }

  /**
   * Publishes each message through this transport's {@link #publish}, in order, as {@link
   * Transport#publishAll}'s default does: for a subclass whose {@code publish} changes what is
   * sent.
   *
   * @param destination where the messages go
   * @param messages the messages, in order
   * @return one future per message, in the same order
   */
  protected final List<CompletableFuture<Void>> publishEach(
      String destination, List<OutboundMessage> messages) {
    List<CompletableFuture<Void>> futures = new ArrayList<>(messages.size());
    for (OutboundMessage message : messages) {
      futures.add(publish(destination, message));
    }
    return futures;
  }
}
