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
 * after growing pauses. A mark (after the handler ran) is held until it answers or the receiver
 * closes; a read, or a transactional handling, only for the receiver's patience: then {@link
 * GaveUp} tells the receiver to give the delivery back to the broker and pause its consumer ({@link
 * ConsumerPause}), since a broker takes back a delivery held past its consumer timeout and counts
 * it as a delivery attempt.
 */
final class ReceiptLogHold {
  /** The receiver's own logger: operators know the receiver by its public class name. */
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final String name;
  private final Duration first;
  private final Duration max;
  private final Duration patience;
  private final ConsumerPause pause;

  /** Held calls wait on it; {@link #close()} wakes them. */
  private final Object holds = new Object();

  private volatile boolean closing;

  /**
   * Creates the hold of one receiver.
   *
   * @param name the receiver's name, for the log
   * @param first the first pause
   * @param max the longest pause
   * @param patience how long a read or a handling is held before the delivery is given back
   * @param pause the receiver's consumer pause: while paused, reads are given back at once
   */
  ReceiptLogHold(
      String name, Duration first, Duration max, Duration patience, ConsumerPause pause) {
    this.name = name;
    this.first = first;
    this.max = max;
    this.patience = patience;
    this.pause = pause;
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
   * Calls the receipt log before the handler ran (a read, or a handling in the log's transaction):
   * held like {@link #untilAnswered}, but for the receiver's patience only; past it, or at once
   * while the consumer is paused, the delivery is to be given back to the broker.
   *
   * @param doing what the call does, for the log ("reading", "handling")
   * @param ids the message ids concerned, at least one
   * @param attempt the call
   * @param <R> what it returns
   * @return what the call returned
   * @throws GaveUp if the log stayed unreachable for the patience, or the consumer is paused
   * @throws StoreUnavailableException if the log is unreachable and the receiver is closing
   */
  <R> R withPatience(String doing, List<String> ids, Supplier<R> attempt) {
    return call(doing, ids, true, attempt);
  }

  /**
   * Calls the receipt log after the handler ran (a mark): held for as long as the receiver runs,
   * since giving the delivery back now would run the handler twice.
   *
   * @param doing what the call does, for the log ("marking")
   * @param ids the message ids concerned, at least one
   * @param attempt the call
   * @param <R> what it returns
   * @return what the call returned
   * @throws StoreUnavailableException if the log is unreachable and the receiver is closing
   */
  <R> R untilAnswered(String doing, List<String> ids, Supplier<R> attempt) {
    return call(doing, ids, false, attempt);
  }

  /**
   * Calls the receipt log; while it is unreachable ({@link StoreUnavailableException}, retryable by
   * contract), holds the delivery and asks again after a pause that starts at {@code first} and
   * doubles up to {@code max}. Giving the delivery back at once instead (as a requeue) would count
   * toward the broker's delivery limit, and a few quick refusals would dead-letter a good message;
   * a held delivery also keeps the broker from handing this consumer more than its prefetch.
   *
   * @param doing what the call does, for the log ("reading", "marking")
   * @param ids the message ids concerned, at least one
   * @param patient whether the hold ends after the patience (and at once while paused)
   * @param attempt the call
   * @param <R> what it returns
   * @return what the call returned
   */
  private <R> R call(String doing, List<String> ids, boolean patient, Supplier<R> attempt) {
    if (patient && pause.isPaused()) {
      throw new GaveUp("the receipt log is unreachable and the consumer paused", null);
    }
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
        if (patient && (pause.isPaused() || System.nanoTime() - heldSince >= patience.toNanos())) {
          throw new GaveUp(
              "the receipt log has been unreachable for over " + patience + " while " + doing, e);
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
   * The receipt log stayed unreachable for the receiver's patience before the handler ran: the
   * delivery is to be given back to the broker without counting as a delivery attempt.
   */
  static final class GaveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GaveUp(String message, StoreUnavailableException cause) {
      super(message, cause);
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
