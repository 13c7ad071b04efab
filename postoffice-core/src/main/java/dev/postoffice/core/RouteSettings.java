package dev.postoffice.core;

import dev.postoffice.core.internal.Require;
import java.time.Duration;

/**
 * How one route runs: batching, concurrency, leases, retries, limits. Immutable; make one with
 * {@link #builder()} or take {@link #ofDefaults()}.
 *
 * @param batchSize entries a stage claims and commits together
 * @param linger how long a stage waits for a batch to fill before working on a partial one
 * @param concurrency worker threads per stage of this route (its bulkhead)
 * @param leaseDuration how long a claim holds before other nodes may take the entry again; with
 *     worker threads it must cover a batch's run through all the transform stages, which commit
 *     once (fused)
 * @param pollInterval how often an idle stage looks in the store for work (the recovery and
 *     multi-node path)
 * @param retry the retry policy
 * @param highWaterMark backlog (entries waiting for work) above which intake refuses
 * @param retryAfter the delay intake suggests when it refuses
 * @param maxPayloadBytes the largest message intake accepts
 * @param ackTimeout how long a {@code QUEUED} entry waits for the Core App before it is published
 *     again; the wait doubles with each further publish, up to the larger of this and {@code
 *     retry.maxBackoff()}, and the entry is published again for as long as the Core App does not
 *     answer (it is never given up)
 * @param confirmTimeout how long publishing waits for the broker's confirmation
 */
public record RouteSettings(
    int batchSize,
    Duration linger,
    int concurrency,
    Duration leaseDuration,
    Duration pollInterval,
    RetrySettings retry,
    long highWaterMark,
    Duration retryAfter,
    int maxPayloadBytes,
    Duration ackTimeout,
    Duration confirmTimeout) {
  /** Default batch size. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  /** Default linger. */
  public static final Duration DEFAULT_LINGER = Duration.ofMillis(2);

  /** Default worker threads per stage. */
  public static final int DEFAULT_CONCURRENCY = 1;

  /** Default lease. */
  public static final Duration DEFAULT_LEASE = Duration.ofMinutes(1);

  /** Default poll interval. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

  /** Default high-water mark. */
  public static final long DEFAULT_HIGH_WATER_MARK = 100_000;

  /** Default retry-after hint. */
  public static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

  /** Default largest payload: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

  /** Default acknowledgement timeout. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofMinutes(5);

  /** Default publish confirmation timeout. */
  public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the first value out of bounds
   * @throws NullPointerException naming the first null value
   */
  public RouteSettings {
    Require.between(batchSize, 1, 10_000, "batchSize");
    Require.between(linger, Duration.ZERO, Duration.ofSeconds(10), "linger");
    Require.between(concurrency, 1, 64, "concurrency");
    Require.between(leaseDuration, Duration.ofMillis(100), Duration.ofHours(24), "leaseDuration");
    Require.between(pollInterval, Duration.ofMillis(1), Duration.ofMinutes(10), "pollInterval");
    Require.nonNull(retry, "retry");
    Require.between(highWaterMark, 1, Long.MAX_VALUE, "highWaterMark");
    Require.between(retryAfter, Duration.ofMillis(1), Duration.ofHours(1), "retryAfter");
    Require.between(maxPayloadBytes, 1, Integer.MAX_VALUE - 8, "maxPayloadBytes");
    Require.between(ackTimeout, Duration.ofMillis(10), Duration.ofDays(7), "ackTimeout");
    Require.between(confirmTimeout, Duration.ofMillis(10), leaseDuration, "confirmTimeout");
  }

  /**
   * Returns the defaults.
   *
   * @return the default settings
   */
  public static RouteSettings ofDefaults() {
    return builder().build();
  }

  /**
   * Returns a builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding these settings, to change some.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.batchSize = batchSize;
    b.linger = linger;
    b.concurrency = concurrency;
    b.leaseDuration = leaseDuration;
    b.pollInterval = pollInterval;
    b.retry = retry;
    b.highWaterMark = highWaterMark;
    b.retryAfter = retryAfter;
    b.maxPayloadBytes = maxPayloadBytes;
    b.ackTimeout = ackTimeout;
    b.confirmTimeout = confirmTimeout;
    return b;
  }

  /** Builds {@link RouteSettings}. Not thread-safe; values are checked by {@link #build()}. */
  public static final class Builder {
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration linger = DEFAULT_LINGER;
    private int concurrency = DEFAULT_CONCURRENCY;
    private Duration leaseDuration = DEFAULT_LEASE;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private RetrySettings retry = RetrySettings.ofDefaults();
    private long highWaterMark = DEFAULT_HIGH_WATER_MARK;
    private Duration retryAfter = DEFAULT_RETRY_AFTER;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
    private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;

    private Builder() {}

    /**
     * @param v entries per batch, 1 to 10000; default {@value #DEFAULT_BATCH_SIZE} @return this
     *     builder
     */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /**
     * @param v wait for a batch to fill, 0 to 10 s; default 2 ms @return this builder
     */
    public Builder linger(Duration v) {
      linger = v;
      return this;
    }

    /**
     * @param v worker threads per stage, 1 to 64; default 1 @return this builder
     */
    public Builder concurrency(int v) {
      concurrency = v;
      return this;
    }

    /**
     * @param v claim duration, 100 ms to 24 h; default 1 min @return this builder
     */
    public Builder leaseDuration(Duration v) {
      leaseDuration = v;
      return this;
    }

    /**
     * @param v idle store polling interval; default 200 ms @return this builder
     */
    public Builder pollInterval(Duration v) {
      pollInterval = v;
      return this;
    }

    /**
     * @param v the retry policy; default {@link RetrySettings#ofDefaults()} @return this builder
     */
    public Builder retry(RetrySettings v) {
      retry = v;
      return this;
    }

    /**
     * @param v backlog above which intake refuses; default 100000 @return this builder
     */
    public Builder highWaterMark(long v) {
      highWaterMark = v;
      return this;
    }

    /**
     * @param v delay intake suggests when it refuses; default 1 s @return this builder
     */
    public Builder retryAfter(Duration v) {
      retryAfter = v;
      return this;
    }

    /**
     * @param v largest accepted message in bytes; default 1 MiB @return this builder
     */
    public Builder maxPayloadBytes(int v) {
      maxPayloadBytes = v;
      return this;
    }

    /**
     * @param v wait for the Core App's acknowledgement; default 5 min @return this builder
     */
    public Builder ackTimeout(Duration v) {
      ackTimeout = v;
      return this;
    }

    /**
     * @param v wait for the broker's confirmation, at most the lease; default 30 s @return this
     *     builder
     */
    public Builder confirmTimeout(Duration v) {
      confirmTimeout = v;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the first value out of bounds
     */
    public RouteSettings build() {
      return new RouteSettings(
          batchSize,
          linger,
          concurrency,
          leaseDuration,
          pollInterval,
          retry,
          highWaterMark,
          retryAfter,
          maxPayloadBytes,
          ackTimeout,
          confirmTimeout);
    }
  }
}
