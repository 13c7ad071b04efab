package dev.postoffice.core.dispatch.internal;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code ratePerSecond} tokens a second, holding at most {@code burst}. Time comes
 * from an injected nano clock so tests can move it.
 */
public final class TokenBucket {
  private final double nanosPerToken;
  private final double burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  /**
   * Creates a full bucket.
   *
   * @param ratePerSecond tokens added per second
   * @param burst the most tokens held
   * @param nanoTime the time source, such as {@code System::nanoTime}
   */
  public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
    this.nanosPerToken = 1e9 / ratePerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /**
   * Takes a token if one is there.
   *
   * @return 0 if a token was taken, else the nanoseconds until one will be
   */
  public synchronized long tryAcquire() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) / nanosPerToken);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
  }
}
