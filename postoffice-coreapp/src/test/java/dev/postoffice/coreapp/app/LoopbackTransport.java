package dev.postoffice.coreapp.app;

import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.spi.TransportCapabilities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-scope transport for the Core App artifact's own tests, which cannot use the engine's
 * {@code InMemoryTransport}: publishes are kept per destination and confirmed at once, and the test
 * delivers to a subscriber on its own thread with {@link #deliver}, so every step is deterministic.
 * A message the subscriber dead-letters goes to the destination's dead-letter queue with its
 * reason, as a broker does.
 */
final class LoopbackTransport implements Transport {
  private final Map<String, List<OutboundMessage>> published = new ConcurrentHashMap<>();
  private final Map<String, MessageHandler> subscribers = new ConcurrentHashMap<>();

  @Override
  public TransportCapabilities capabilities() {
    return TransportCapabilities.builder().confirmsPublishes(true).deliveryCount(true).build();
  }

  @Override
  public void declare(String destination) {
    published.computeIfAbsent(destination, d -> new CopyOnWriteArrayList<>());
    published.computeIfAbsent(
        deadLetterDestination(destination), d -> new CopyOnWriteArrayList<>());
  }

  @Override
  public String deadLetterDestination(String destination) {
    return destination + ".dlq";
  }

  @Override
  public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
    List<OutboundMessage> queue = published.get(destination);
    if (queue == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(destination + " was not declared"));
    }
    queue.add(message);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    subscribers.put(destination, handler);
    return () -> subscribers.remove(destination, handler);
  }

  /**
   * Delivers messages to the destination's subscriber, together, as one broker batch.
   *
   * @return what the subscriber answered, one per message
   */
  List<Disposition> deliver(String destination, List<InboundMessage> messages) {
    MessageHandler handler = subscribers.get(destination);
    if (handler == null) {
      throw new IllegalStateException("nobody consumes " + destination);
    }
    List<Disposition> answers =
        handler instanceof BatchMessageHandler batch
            ? BatchMessageHandler.dispositions(batch, messages)
            : messages.stream().map(handler::handle).toList();
    for (int i = 0; i < messages.size(); i++) {
      if (answers.get(i).kind() == Disposition.Kind.DEAD_LETTER) {
        InboundMessage m = messages.get(i);
        published
            .get(deadLetterDestination(destination))
            .add(
                new OutboundMessage(
                    m.messageId(),
                    Map.of(HEADER_DEAD_LETTER_REASON, answers.get(i).reason()),
                    m.body(),
                    m.contentType()));
      }
    }
    return answers;
  }

  /** What was published to a destination, as its consumer would receive it. */
  List<InboundMessage> published(String destination) {
    List<InboundMessage> out = new ArrayList<>();
    for (OutboundMessage m : published.getOrDefault(destination, List.of())) {
      out.add(new InboundMessage(m.messageId(), m.headers(), m.body(), m.contentType(), 1, false));
    }
    return out;
  }

  @Override
  public void close() {
    subscribers.clear();
  }
}
