package dev.postoffice.core.memory;

import dev.postoffice.spi.OutboundMessage;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;

/** One destination of an {@link InMemoryTransport}; guarded by the transport's lock. */
final class MemoryQueue {
  /** A message waiting in a queue, with how many times it was delivered so far. */
  record Held(OutboundMessage message, int deliveries) {}

  final String name;
  final ArrayDeque<Held> messages = new ArrayDeque<>();

  /** Signalled when a message arrives or a subscription of this queue closes. */
  final Condition available;

  /** Messages handed to a handler and not yet settled. */
  int inFlight;

  int subscribers;

  MemoryQueue(String name, Condition available) {
    this.name = name;
    this.available = available;
  }
}
