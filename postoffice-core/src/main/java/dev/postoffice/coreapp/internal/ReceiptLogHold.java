package dev.postoffice.coreapp.internal;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.coreapp.CoreAppReceiver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver's calls to its receipt log, held while the log is unreachable: the delivery stays
 * with the receiver (it never counts toward the broker's delivery limit) and the call is made again
 * after growing pauses, until it answers or the receiver closes.
 */
final class ReceiptLogHold {
  /** The receiver's own logger: operators know the receiver by its public class name. */
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final String name;
  private final Duration first;
  private final Duration max;

  /** Held calls wait on it; {@link #close()} wakes them. */
  private final Object holds = new Object();

  private volatile boolean closing;

  /**
   * Creates the hold of one receiver.
   *
   * @param name the receiver's name, for the log
   * @param first the first pause
   * @param max the longest pause
   */
  ReceiptLogHold(String name, Duration first, Duration max) {
    this.name = name;
    this.first = first;
    this.max = max;
  }

  /** The receiver started: calls are held again. */
  void open() {
    closing = false;
  }

  /** The receiver closes: held calls give up at once, and new ones are not held. */
  void close() {
    closing = true;
    synchronized (holds) {
      holds.notifyAll();
    }
  }

  /**
   * Calls the receipt log; while it is unreachable ({@link StoreUnavailableException}, retryable by
   * contract), holds the delivery and asks again after a pause that starts at {@code first} and
   * doubles up to {@code max}, for as long as the receiver runs. Giving the delivery back instead
   * would count toward the broker's delivery limit, and a few quick refusals would dead-letter a
   * good message; a held delivery also keeps the broker from handing this consumer more than its
   * prefetch.
   *
   * @param doing what the call does, for the log ("reading", "marking")
   * @param ids the message ids concerned, at least one
   * @param attempt the call
   * @param <R> what it returns
   * @return what the call returned
   * @throws StoreUnavailableException if the log is unreachable and the receiver is closing
   */
  <R> R call(String doing, List<String> ids, Supplier<R> attempt) {
    long pauseMillis = first.toMillis();
    long heldSince = 0;
    int tries = 0;
    while (true) {
      try {
        R result = attempt.get();
        if (tries > 0) {
          log.warn(
              "receiver {}: receipt log answers again after {} ms; going on with {} message(s)",
              name,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - heldSince),
              ids.size());
        }
        return result;
      } catch (StoreUnavailableException e) {
        if (tries++ == 0) {
          heldSince = System.nanoTime();
        }
        if (closing) {
          throw e;
        }
        if (tries == 1 || pauseMillis == max.toMillis() && tries % 12 == 0) {
          log.warn(
              "receiver {}: receipt log unreachable while {} {} message(s) (first {}): {}; holding the"
                  + " delivery and trying again, pausing up to {} ms",
              name,
              doing,
              ids.size(),
              ids.get(0),
              e.getMessage(),
              max.toMillis());
        }
        if (!pause(pauseMillis)) {
          throw e;
        }
        pauseMillis = Math.min(pauseMillis * 2, max.toMillis());
      }
    }
  }

  /**
   * Waits, unless the receiver closes first; false if it is closing (or the thread was
   * interrupted).
   */
  private boolean pause(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (holds) {
      while (!closing) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return true;
        }
        try {
          holds.wait(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return false;
    }
  }
}
