package dev.postoffice.core.dispatch.internal;

import dev.postoffice.TransientFailureException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The limits of one partner (one scheme, host and port): requests in flight and requests per
 * second.
 */
public final class PartnerLimits {
  private final String partner;
  private final Semaphore inFlight;
  private final int maxConcurrent;
  private final Duration permitWait;
  private final TokenBucket rate;
  private final Duration maxRateWait;

  /**
   * Creates the limits.
   *
   * @param partner the partner's scheme, host and port, for messages
   * @param maxConcurrent requests in flight at most
   * @param permitWait how long a request waits for a free slot
   * @param requestsPerSecond the rate, or 0 for none
   * @param burst requests allowed at once above the rate
   * @param maxRateWait how long a request waits for the rate to allow it
   * @param nanoTime the time source of the rate
   */
  public PartnerLimits(
      String partner,
      int maxConcurrent,
      Duration permitWait,
      double requestsPerSecond,
      int burst,
      Duration maxRateWait,
      LongSupplier nanoTime) {
    this.partner = partner;
    this.inFlight = new Semaphore(maxConcurrent, true);
    this.maxConcurrent = maxConcurrent;
    this.permitWait = permitWait;
    this.rate = requestsPerSecond > 0 ? new TokenBucket(requestsPerSecond, burst, nanoTime) : null;
    this.maxRateWait = maxRateWait;
  }

  /**
   * Waits for a slot and for the rate; release the slot with {@link #release()}.
   *
   * @throws TransientFailureException if neither came within its wait (the entry is retried later)
   */
  public void acquire() {
    try {
      if (!inFlight.tryAcquire(permitWait.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new TransientFailureException(
            "partner "
                + partner
                + " already has "
                + maxConcurrent
                + " requests in flight (maxConcurrentRequests); not sent",
            permitWait,
            null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientFailureException(
          "interrupted while waiting to send to " + partner, null, e);
    }
    if (rate == null) {
      return;
    }
    try {
      long wait = rate.tryAcquire();
      if (wait > 0 && wait <= maxRateWait.toNanos()) {
        TimeUnit.NANOSECONDS.sleep(wait);
        wait = rate.tryAcquire();
      }
      if (wait > 0) {
        throw new TransientFailureException(
            "partner " + partner + " is over its requests-per-second limit; not" + " sent",
            Duration.ofNanos(wait),
            null);
      }
    } catch (InterruptedException e) {
      inFlight.release();
      Thread.currentThread().interrupt();
      throw new TransientFailureException(
          "interrupted while waiting to send to " + partner, null, e);
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
  }

  /** Frees the slot taken by {@link #acquire()}. */
  public void release() {
    inFlight.release();
  }
}
