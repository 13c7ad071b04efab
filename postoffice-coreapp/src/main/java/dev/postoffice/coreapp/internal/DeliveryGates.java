package dev.postoffice.coreapp.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * One gate per message id being handled in this receiver. A broker may hand the receiver a message
 * again while its first delivery is still being handled (an expired SQS visibility timeout, a
 * redelivery after a dropped connection); the gate lets one thread at a time handle a message id,
 * so the core's handler never runs twice at once for it here.
 */
final class DeliveryGates {
  private final ConcurrentHashMap<String, CountDownLatch> inFlight = new ConcurrentHashMap<>();

  /**
   * A gate a thread holds.
   *
   * @param id the message id
   * @param latch what other threads wait on
   * @param interrupted whether the thread was interrupted while waiting for it, to be restored on
   *     release
   */
  record Gate(String id, CountDownLatch latch, boolean interrupted) {}

  /** Takes the gate of a message id if no thread holds it; null if one does. */
  Gate tryTake(String id) {
    CountDownLatch latch = new CountDownLatch(1);
    return inFlight.putIfAbsent(id, latch) == null ? new Gate(id, latch, false) : null;
  }

  /**
   * Takes the gate of a message id, waiting for the thread that holds it. An interrupt does not end
   * the wait (the delivery is already ours: it is finished first); {@link #release} restores it.
   */
  Gate take(String id) {
    boolean interrupted = false;
    while (true) {
      CountDownLatch latch = new CountDownLatch(1);
      CountDownLatch other = inFlight.putIfAbsent(id, latch);
      if (other == null) {
        return new Gate(id, latch, interrupted);
      }
      try {
        other.await();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  /** Gives a gate back and wakes the threads waiting for it. */
  void release(Gate gate) {
    inFlight.remove(gate.id(), gate.latch());
    gate.latch().countDown();
    if (gate.interrupted()) {
      Thread.currentThread().interrupt();
    }
  }
}
