package dev.postoffice.core.intake;

import dev.postoffice.BacklogFullException;
import dev.postoffice.Ingestor;
import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.core.internal.Require;
import dev.postoffice.spi.StaleCursorException;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a partner API on a schedule through a host's {@link PageFetcher}: reads the route's stored
 * cursor, fetches the page after it, stores the page's records and the new cursor in <em>one</em>
 * store transaction ({@link Intake#submitPage}), and follows {@code hasMore} until caught up. A
 * restart continues from the stored cursor: no page is skipped or stored twice.
 *
 * <p>A record intake refuses (over the route's {@code maxPayloadBytes}) does not hold its page up:
 * it is recorded once as a {@code REJECTED} entry, logged at WARN and counted in {@link
 * PollResult#rejected()}, and the page's other records and its cursor are stored.
 *
 * <p>Errors back off exponentially (resilience4j {@link IntervalFunction}) and the same cursor is
 * tried again; a full backlog waits its {@code Retry-After}. Two polls of one route and cursor
 * never overlap in one JVM (a lock per route and cursor). Across nodes there is no lock: two nodes
 * may fetch the same page, but the cursor's compare-and-set lets only one store it; the other gets
 * a {@link StaleCursorException}, drops its copy, reads the cursor again and goes on.
 *
 * <pre>{@code
 * PostOffice.builder()...
 *     .ingestor("acme-orders", PollingIngestor.builder(fetcher).interval(Duration.ofMinutes(1)).build())
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class PollingIngestor implements Ingestor {
  /** The cursor's name, unless set. */
  public static final String DEFAULT_CURSOR_NAME = "default";

  /** The time between polls, unless set. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

  /** The most pages one poll follows, unless set. */
  public static final int DEFAULT_MAX_PAGES_PER_POLL = 100;

  /** The first backoff after an error, unless set. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

  /** The growth of the backoff per consecutive error, unless set. */
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

  /** The longest backoff, unless set. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(PollingIngestor.class);
  private static final ConcurrentHashMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

  private final PageFetcher fetcher;
  private final String cursorName;
  private final Duration interval;
  private final int maxPagesPerPoll;
  private final IntervalFunction backoff;
  private final boolean scheduled;
  private final ScheduledExecutorService givenExecutor;
  private volatile Intake intake;
  private volatile ScheduledExecutorService executor;
  private volatile boolean closed;
  private int failures;

  private PollingIngestor(Builder b) {
    this.fetcher = b.fetcher;
    this.cursorName = b.cursorName;
    this.interval = b.interval;
    this.maxPagesPerPoll = b.maxPagesPerPoll;
    this.backoff =
        IntervalFunction.ofExponentialBackoff(b.initialBackoff, b.backoffMultiplier, b.maxBackoff);
    this.scheduled = b.scheduled;
    this.givenExecutor = b.executor;
  }

  /**
   * Starts describing a poller.
   *
   * @param fetcher fetches a page after a cursor
   * @return a new builder
   */
  public static Builder builder(PageFetcher fetcher) {
    return new Builder(Require.nonNull(fetcher, "fetcher"));
  }

  /**
   * Starts polling at once, then every interval (unless built with {@link
   * Builder#manualPolling()}).
   */
  @Override
  public void start(Intake intake) {
    this.intake = Require.nonNull(intake, "intake");
    if (!scheduled) {
      return;
    }
    ScheduledExecutorService ex = givenExecutor;
    if (ex == null) {
      ex =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "postoffice-poll-" + intake.route() + "-" + cursorName);
                t.setDaemon(true);
                return t;
              });
    }
    executor = ex;
    ex.schedule(this::tick, 0, TimeUnit.MILLISECONDS);
  }

  /** Stops scheduling polls; a poll in progress finishes its current page. */
  @Override
  public void close() {
    closed = true;
    ScheduledExecutorService ex = executor;
    if (ex != null && givenExecutor == null) {
      ex.shutdownNow();
    }
  }

  private void tick() {
    if (closed) {
      return;
    }
    ReentrantLock lock = lock();
    Duration next = interval;
    if (lock.tryLock()) {
      try {
        next = poll().nextPollIn();
      } catch (RuntimeException | Error e) {
        log.error("poll of route {} failed unexpectedly", intake.route(), e);
      } finally {
        lock.unlock();
      }
    }
    if (!closed) {
      try {
        executor.schedule(this::tick, next.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        log.debug("poll of route {} not rescheduled: executor shut down", intake.route());
      }
    }
  }

  /**
   * Polls now on the calling thread, waiting for a poll in progress to finish first; for tests and
   * for hosts that schedule polls themselves.
   *
   * @return what the poll did; a failure is returned, not thrown
   * @throws IllegalStateException if the ingestor was not started
   */
  public PollResult pollOnce() {
    if (intake == null) {
      throw new IllegalStateException(
          "the poller is not started [Hint: register it with"
              + " PipelineBuilder.ingestor(route, poller) and start the pipeline, or call start(intake)]");
    }
    ReentrantLock lock = lock();
    lock.lock();
    try {
      return poll();
    } finally {
      lock.unlock();
    }
  }

  private ReentrantLock lock() {
    return LOCKS.computeIfAbsent(
        intake.route().value() + "\u0000" + cursorName, k -> new ReentrantLock());
  }

  private PollResult poll() {
    Intake in = intake;
    int pages = 0;
    int records = 0;
    int stale = 0;
    int rejected = 0;
    try {
      for (int round = 0; round < maxPagesPerPoll; round++) {
        Optional<String> cursor = in.cursor(cursorName);
        Page page =
            Objects.requireNonNull(
                fetcher.fetch(cursor.orElse(null)), "fetcher returned a null page");
        String next = page.nextCursor() != null ? page.nextCursor() : cursor.orElse(null);
        if (page.records().isEmpty() && Objects.equals(next, cursor.orElse(null))) {
          break;
        }
        if (next == null) {
          throw new IllegalStateException(
              "fetcher returned "
                  + page.records().size()
                  + " records without a"
                  + " nextCursor before any cursor was stored; a polled page must say where the next one starts");
        }
        try {
          rejected +=
              rejections(in, in.submitPage(page.records(), cursorName, cursor.orElse(null), next));
        } catch (StaleCursorException e) {
          stale++;
          log.info(
              "cursor {} of route {} moved by another poller; reading it again",
              cursorName,
              in.route());
          continue;
        }
        pages++;
        records += page.records().size();
        if (!page.hasMore() || next.equals(cursor.orElse(null))) {
          break;
        }
      }
      failures = 0;
      return new PollResult(pages, records, stale, null, interval, rejected);
    } catch (BacklogFullException e) {
      log.info("poll of route {} paused: {}", in.route(), e.getMessage());
      return new PollResult(pages, records, stale, e, e.retryAfter(), rejected);
    } catch (Exception e) {
      failures++;
      Duration delay = Duration.ofMillis(backoff.apply(failures));
      log.warn(
          "poll of route {} failed ({} in a row), next try in {} ms: {}",
          in.route(),
          failures,
          delay.toMillis(),
          e.toString());
      return new PollResult(pages, records, stale, e, delay, rejected);
    }
  }

  /**
   * Counts and logs the page's records intake refused (they are recorded Rejected; the page went
   * on).
   */
  private static int rejections(Intake in, List<IntakeReceipt> receipts) {
    int rejected = 0;
    for (IntakeReceipt receipt : receipts) {
      if (receipt.isRejected()) {
        rejected++;
        log.warn(
            "route {}: a polled record was rejected, entry {}: {}",
            in.route(),
            receipt.entryId(),
            receipt.rejectedReason());
      }
    }
    return rejected;
  }

  @Override
  public String toString() {
    return "PollingIngestor[cursor=" + cursorName + ", interval=" + interval + "]";
  }

  /** Builds a {@link PollingIngestor}. Not thread-safe; each setter checks its value. */
  public static final class Builder {
    private final PageFetcher fetcher;
    private String cursorName = DEFAULT_CURSOR_NAME;
    private Duration interval = DEFAULT_INTERVAL;
    private int maxPagesPerPoll = DEFAULT_MAX_PAGES_PER_POLL;
    private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
    private boolean scheduled = true;
    private ScheduledExecutorService executor;

    private Builder(PageFetcher fetcher) {
      this.fetcher = fetcher;
    }

    /**
     * Sets the cursor's name, for routes polling several partner feeds.
     *
     * @param value the name; default {@value #DEFAULT_CURSOR_NAME}
     * @return this builder
     */
    public Builder cursorName(String value) {
      cursorName = Require.nonBlank(value, "cursorName");
      return this;
    }

    /**
     * Sets the time between polls once caught up.
     *
     * @param value 1 ms to 24 h; default 30 s
     * @return this builder
     */
    public Builder interval(Duration value) {
      interval = Require.between(value, Duration.ofMillis(1), Duration.ofHours(24), "interval");
      return this;
    }

    /**
     * Sets the most pages one poll follows before yielding until the next tick.
     *
     * @param value 1 to 100000; default {@value #DEFAULT_MAX_PAGES_PER_POLL}
     * @return this builder
     */
    public Builder maxPagesPerPoll(int value) {
      maxPagesPerPoll = Require.between(value, 1, 100_000, "maxPagesPerPoll");
      return this;
    }

    /**
     * Sets the exponential backoff after errors: {@code initial * multiplier^(n-1)}, at most {@code
     * max}.
     *
     * @param initial 1 ms to 1 h; default 1 s
     * @param multiplier 1.0 to 10.0; default {@value #DEFAULT_BACKOFF_MULTIPLIER}
     * @param max at least {@code initial}, at most 24 h; default 5 minutes
     * @return this builder
     */
    public Builder backoff(Duration initial, double multiplier, Duration max) {
      initialBackoff =
          Require.between(initial, Duration.ofMillis(1), Duration.ofHours(1), "initialBackoff");
      backoffMultiplier = Require.between(multiplier, 1.0, 10.0, "backoffMultiplier");
      maxBackoff = Require.between(max, initial, Duration.ofHours(24), "maxBackoff");
      return this;
    }

    /**
     * Polls on this executor instead of an own daemon thread; the executor is not shut down by
     * {@link PollingIngestor#close()}.
     *
     * @param value the executor; default an own single daemon thread
     * @return this builder
     */
    public Builder executor(ScheduledExecutorService value) {
      executor = Require.nonNull(value, "executor");
      return this;
    }

    /**
     * Polls only when {@link PollingIngestor#pollOnce()} is called: no schedule. For deterministic
     * tests and hosts with their own scheduler; off by default.
     *
     * @return this builder
     */
    public Builder manualPolling() {
      scheduled = false;
      return this;
    }

    /**
     * Builds the poller (started by the pipeline).
     *
     * @return the poller
     */
    public PollingIngestor build() {
      return new PollingIngestor(this);
    }
  }
}
