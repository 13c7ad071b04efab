package dev.postoffice.core.memory;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of one {@link MemoryQueue}: one daemon thread that takes a message, calls the handler
 * synchronously and settles the message after it returns.
 */
final class MemorySubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(MemorySubscription.class);

  private final InMemoryTransport transport;
  private final MemoryQueue queue;
  private final MessageHandler handler;
  private final Thread thread;
  /** Guarded by the transport's lock. */
  private boolean closed;

  MemorySubscription(InMemoryTransport transport, MemoryQueue queue, MessageHandler handler) {
    this.transport = transport;
    this.queue = queue;
    this.handler = handler;
    this.thread = new Thread(this::run, "postoffice-inmemory-" + queue.name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (true) {
      MemoryQueue.Held held = transport.take(queue, this);
      if (held == null) {
        return;
      }
      Disposition disposition;
      try {
        disposition = handler.handle(new InboundMessage(
            held.message().messageId(),
            held.message().headers(),
            held.message().body().clone(),
            held.message().contentType(),
            held.deliveries() + 1,
            held.deliveries() > 0));
        if (disposition == null) {
          disposition = Disposition.requeue("the handler returned no disposition");
        }
      } catch (Throwable e) { // even an AssertionError must not lose the message or kill the consumer
        LOG.warn("Handler for {} failed on message {}; requeueing it", queue.name, held.message().messageId(), e);
        disposition = Disposition.requeue("handler failed: " + e);
      }
      transport.settle(queue, held, disposition);
    }
  }

  /** Called under the transport's lock. */
  boolean isClosed() {
    return closed;
  }

  /** Called under the transport's lock; returns false if it was closed already. */
  boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  @Override
  public void close() {
    transport.unsubscribe(queue, this);
    if (Thread.currentThread() != thread) {
      boolean interrupted = false;
      while (thread.isAlive()) {
        try {
          thread.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
