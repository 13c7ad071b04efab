package dev.postoffice.core.memory;

import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of one {@link MemoryQueue}: one daemon thread that takes the waiting messages (up to
 * the prefetch), calls the handler on each in turn, and settles them after the handler returned for
 * each. Once paused, it starts no handler call: what it took and did not hand over goes back to the
 * head of the queue.
 */
final class MemorySubscription implements Subscription {
  private static final Logger LOG = LoggerFactory.getLogger(MemorySubscription.class);

  private final InMemoryTransport transport;
  private final MemoryQueue queue;
  private final MessageHandler handler;
  private final Thread thread;

  /** Written under the transport's lock; read without it between messages of a batch. */
  private volatile boolean closed;

  /** Written under the transport's lock; read without it before each handler call. */
  private volatile boolean paused;

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
      List<MemoryQueue.Held> taken = transport.take(queue, this, InMemoryTransport.PREFETCH);
      if (taken == null) {
        return;
      }
      if (handler instanceof BatchMessageHandler batch) {
        // Paused between taking and handing over: all go back undelivered.
        transport.settle(queue, taken, paused ? List.of() : handleAll(batch, taken));
        continue;
      }
      List<Disposition> dispositions = new ArrayList<>(taken.size());
      for (MemoryQueue.Held held : taken) {
        if (paused || (!dispositions.isEmpty() && closed)) {
          break; // paused or closing: the rest go back to the queue undelivered
        }
        dispositions.add(handle(held));
      }
      transport.settle(queue, taken, dispositions);
    }
  }

  private List<Disposition> handleAll(BatchMessageHandler batch, List<MemoryQueue.Held> taken) {
    List<InboundMessage> messages = new ArrayList<>(taken.size());
    taken.forEach(held -> messages.add(inbound(held)));
    return BatchMessageHandler.dispositions(batch, messages);
  }

  private static InboundMessage inbound(MemoryQueue.Held held) {
    return new InboundMessage(
        held.message().messageId(),
        held.message().headers(),
        held.message().body().clone(),
        held.message().contentType(),
        held.deliveries() + 1,
        held.deliveries() > 0);
  }

  private Disposition handle(MemoryQueue.Held held) {
    try {
      Disposition disposition = handler.handle(inbound(held));
      return disposition != null
          ? disposition
          : Disposition.requeue("the handler returned no disposition");
    } catch (Throwable e) { // even an AssertionError must not lose the message or kill the consumer
      LOG.warn(
          "Handler for {} failed on message {}; requeueing it",
          queue.name,
          held.message().messageId(),
          e);
      return Disposition.requeue("handler failed: " + e);
    }
  }

  /** Called under the transport's lock. */
  boolean isClosed() {
    return closed;
  }

  /** Called under the transport's lock. */
  boolean isPaused() {
    return paused;
  }

  /** Called under the transport's lock; returns false if nothing changed. */
  boolean markPaused(boolean value) {
    if (closed || paused == value) {
      return false;
    }
    paused = value;
    return true;
  }

  @Override
  public void pause() {
    transport.paused(queue, this, true);
  }

  @Override
  public void resume() {
    transport.paused(queue, this, false);
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
