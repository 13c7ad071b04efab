package dev.postoffice.examples;

import dev.postoffice.coreapp.CoreMessageContext;
import dev.postoffice.coreapp.CoreMessageHandler;
import dev.postoffice.examples.model.OrderLinePlaced;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The example Core App's handler for {@link OrderLinePlaced}: it books the line and counts how
 * often it saw each message id, to show that the receiver hands every message to the core exactly
 * once. Thread-safe.
 */
public final class CoreOrderBook implements CoreMessageHandler<OrderLinePlaced> {
  private final Map<String, AtomicInteger> timesHandled = new ConcurrentHashMap<>();
  private final LongAdder units = new LongAdder();

  @Override
  public void handle(OrderLinePlaced line, CoreMessageContext context) {
    timesHandled.computeIfAbsent(context.messageId(), id -> new AtomicInteger()).incrementAndGet();
    units.add(line.quantity());
  }

  /**
   * Returns how many distinct messages the core handled.
   *
   * @return the number of order lines booked
   */
  public int linesHandled() {
    return timesHandled.size();
  }

  /**
   * Returns how many units were booked over all lines.
   *
   * @return the sum of the quantities
   */
  public long units() {
    return units.sum();
  }

  /**
   * Returns how many times the handler ran for a message id.
   *
   * @param messageId the message id (PostOffice's layer-4 entry id)
   * @return 0 if never
   */
  public int timesHandled(String messageId) {
    AtomicInteger count = timesHandled.get(messageId);
    return count == null ? 0 : count.get();
  }

  /**
   * Tells whether no message id was handled more than once.
   *
   * @return true if every message was handled exactly once
   */
  public boolean eachHandledOnce() {
    return timesHandled.values().stream().allMatch(count -> count.get() == 1);
  }
}
