package dev.postoffice.core;

import dev.postoffice.core.internal.Require;
import java.time.Duration;

/**
 * How a route retries transient failures: exponential backoff with jitter, persisted as the entry's
 * next attempt time (so a retry survives a restart and holds no thread), up to a maximum number of
 * attempts, after which the entry is {@code FAILED}.
 *
 * <p>The delay before attempt {@code n+1} is {@code initialBackoff * multiplier^(n-1)}, capped at
 * {@code maxBackoff}, randomized by {@code ±jitter} (resilience4j's exponential random backoff).
 *
 * @param maxAttempts attempts in all, including the first; default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param initialBackoff the first delay; default {@link #DEFAULT_INITIAL_BACKOFF}
 * @param multiplier growth per attempt; default {@value #DEFAULT_MULTIPLIER}
 * @param maxBackoff the longest delay; default {@link #DEFAULT_MAX_BACKOFF}
 * @param jitter the randomization factor, 0 to 1; default {@value #DEFAULT_JITTER}
 */
public record RetrySettings(
    int maxAttempts,
    Duration initialBackoff,
    double multiplier,
    Duration maxBackoff,
    double jitter) {
  /** Default maximum attempts. */
  public static final int DEFAULT_MAX_ATTEMPTS = 8;

  /** Default first delay. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

  /** Default growth per attempt. */
  public static final double DEFAULT_MULTIPLIER = 2.0;

  /** Default longest delay. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(10);

  /** Default randomization factor. */
  public static final double DEFAULT_JITTER = 0.3;

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the first value out of bounds
   */
  public RetrySettings {
    Require.between(maxAttempts, 1, 1000, "maxAttempts");
    Require.between(initialBackoff, Duration.ofMillis(1), Duration.ofDays(1), "initialBackoff");
    Require.between(multiplier, 1.0, 100.0, "multiplier");
    Require.between(maxBackoff, initialBackoff, Duration.ofDays(7), "maxBackoff");
    Require.between(jitter, 0.0, 1.0, "jitter");
  }

  /**
   * Returns the defaults.
   *
   * @return the default settings
   */
  public static RetrySettings ofDefaults() {
    return new RetrySettings(
        DEFAULT_MAX_ATTEMPTS,
        DEFAULT_INITIAL_BACKOFF,
        DEFAULT_MULTIPLIER,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_JITTER);
  }

  /**
   * Returns a copy with another maximum number of attempts.
   *
   * @param attempts attempts in all, 1 to 1000
   * @return the copy
   */
  public RetrySettings withMaxAttempts(int attempts) {
    return new RetrySettings(attempts, initialBackoff, multiplier, maxBackoff, jitter);
  }

  /**
   * Returns a copy with another backoff.
   *
   * @param initial the first delay
   * @param max the longest delay
   * @return the copy
   */
  public RetrySettings withBackoff(Duration initial, Duration max) {
    return new RetrySettings(maxAttempts, initial, multiplier, max, jitter);
  }

  /**
   * Returns a copy with another randomization factor.
   *
   * @param factor 0 (none) to 1
   * @return the copy
   */
  public RetrySettings withJitter(double factor) {
    return new RetrySettings(maxAttempts, initialBackoff, multiplier, maxBackoff, factor);
  }
}
