package dev.postoffice.rabbit.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts deliveries of one queue's messages. This process remembers, per message id, how many
 * deliveries of a message it put back counted: a requeue counts its delivery, a release ({@code
 * Disposition.release}) does not. A message it remembers gets that number plus one. For others,
 * quorum queues report earlier deliveries in {@code x-delivery-count}, and classic queues only flag
 * a redelivery. The memory comes first because the broker counts every return, releases included,
 * and also messages it takes back from a cancelled consumer. The memory is bounded (oldest
 * forgotten first), and per process: after a crash, a classic queue's message redelivered counts at
 * least 2, not its true count, and a quorum queue's message counts its releases too.
 */
final class DeliveryCounter {
  private static final int MAX_REMEMBERED = 10_000;

  private final Map<String, Integer> counted =
      new LinkedHashMap<>(256, 0.75f, false) {
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
    Integer earlier = counted.get(messageId);
    if (earlier != null) {
      return earlier + 1;
    }
    if (brokerRedeliveries >= 0) {
      return (int) Math.min(Integer.MAX_VALUE, brokerRedeliveries + 1);
    }
    return redelivered ? 2 : 1;
  }

  /**
   * Remembers that a message was requeued on its delivery number {@code deliveryCount}, which
   * counted.
   */
  synchronized void requeued(String messageId, int deliveryCount) {
    counted.put(messageId, deliveryCount);
  }

  /**
   * Remembers that a message was released on its delivery number {@code deliveryCount}, which did
   * not count.
   */
  synchronized void released(String messageId, int deliveryCount) {
    counted.put(messageId, deliveryCount - 1);
  }

  synchronized void settled(String messageId) {
    counted.remove(messageId);
  }
}
