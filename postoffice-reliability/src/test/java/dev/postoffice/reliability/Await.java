package dev.postoffice.reliability;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits on state other threads and processes change (these suites observe real time on purpose).
 */
final class Await {
  private Await() {}

  /**
   * Waits until the condition holds.
   *
   * @return how long it took
   * @throws AssertionError naming what was awaited and the last state, after the timeout
   */
  static Duration until(
      Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting until " + what + "; state: " + state.get());
      }
      pause(Duration.ofMillis(50));
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Parks the thread for about the given time. */
  static void pause(Duration duration) {
    LockSupport.parkNanos(duration.toNanos());
  }
}
