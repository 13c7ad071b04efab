package dev.postoffice.rabbit.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts deliveries of one queue's messages. Quorum queues report earlier deliveries in
 * {@code x-delivery-count}; classic queues only flag a redelivery, so this remembers, per message id, how
 * often this process requeued a message. The memory is bounded (oldest forgotten first), and per process:
 * with classic queues a message redelivered after a crash counts at least 2, not its true count.
 */
final class DeliveryCounter {
  private static final int MAX_REMEMBERED = 10_000;

  private final Map<String, Integer> requeued = new LinkedHashMap<>(256, 0.75f, false) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > MAX_REMEMBERED;
    }
  };

  /**
   * Returns the delivery count of a message, counting this delivery.
   *
   * @param messageId the message id
   * @param brokerRedeliveries the broker's {@code x-delivery-count}, or -1 if absent
   * @param redelivered the envelope's redelivered flag
   * @return the count, at least 1
   */
  synchronized int count(String messageId, long brokerRedeliveries, boolean redelivered) {
    if (brokerRedeliveries >= 0) {
      return (int) Math.min(Integer.MAX_VALUE, brokerRedeliveries + 1);
    }
    Integer earlier = requeued.get(messageId);
    if (earlier != null) {
      return earlier + 1;
    }
    return redelivered ? 2 : 1;
  }

  synchronized void requeued(String messageId, int deliveryCount) {
    requeued.put(messageId, deliveryCount);
  }

  synchronized void settled(String messageId) {
    requeued.remove(messageId);
  }
}
