package dev.postoffice.core.internal.runner;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop of a stage's worker thread: runs one step (take a batch and work on it) after another
 * while the stage runs, and survives every failure a step throws. While the store is unavailable it
 * pauses briefly and says so at the start of the outage, every {@link #STORE_WARN_INTERVAL_NANOS}
 * and at its end; after any other failure (a bug) it pauses with a back-off doubling up to {@value
 * #MAX_FAILURE_PAUSE_MILLIS} ms. An {@link Error} ends the loop: the route's runtime replaces the
 * worker.
 */
final class WorkerLoop {
  /** Logs under StageRunner's category, so one logger setting covers all of a stage's work. */
  private static final Logger log = LoggerFactory.getLogger(StageRunner.class);

  /**
   * The longest pause of a worker while the store is unavailable: how soon it resumes once it is
   * back.
   */
  static final long MAX_STORE_PAUSE_MILLIS = 1_000;

  /**
   * The longest pause of a worker after an unexpected failure (a bug), so it cannot flood the log.
   */
  static final long MAX_FAILURE_PAUSE_MILLIS = 30_000;

  /** How often a worker repeats, at WARN, that the store is still unavailable. */
  static final long STORE_WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** One turn of the loop. */
  @FunctionalInterface
  interface Step {
    void run() throws InterruptedException;
  }

  private final RouteDefinition route;
  private final StageSpec spec;
  private final BooleanSupplier running;
  private final Step step;

  WorkerLoop(RouteDefinition route, StageSpec spec, BooleanSupplier running, Step step) {
    this.route = route;
    this.spec = spec;
    this.running = running;
    this.step = step;
  }

  /** Runs steps on the calling thread until the stage stops or the thread is interrupted. */
  void run() {
    long pollMillis = route.settings().pollInterval().toMillis();
    long failurePause = pollMillis;
    long storeDownSince =
        0; // System.nanoTime() of the first failure of an outage; 0 while the store answers
    long lastWarned = 0;
    while (running.getAsBoolean()) {
      try {
        step.run();
        failurePause = pollMillis;
        if (storeDownSince != 0) {
          log.info(
              "route {} stage {}: the store answers again after {} s",
              route.id(),
              spec.name(),
              TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - storeDownSince));
          storeDownSince = 0;
          lastWarned = 0;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (StoreUnavailableException e) {
        // Short pauses: the store's own call already waited (a pool's connection timeout), and once
        // the store
        // is back, the stage must resume within about a second, not after a long back-off. The log
        // says so at
        // the start of an outage and then every half minute, not at every try.
        long now = System.nanoTime();
        if (storeDownSince == 0) {
          storeDownSince = now;
        }
        if (lastWarned == 0 || now - lastWarned >= STORE_WARN_INTERVAL_NANOS) {
          lastWarned = now;
          log.warn(
              "route {} stage {}: store unavailable for {} s, trying again every second at most: {}",
              route.id(),
              spec.name(),
              TimeUnit.NANOSECONDS.toSeconds(now - storeDownSince),
              e.getMessage());
        } else {
          log.debug(
              "route {} stage {}: store still unavailable: {}",
              route.id(),
              spec.name(),
              e.getMessage());
        }
        failurePause = pause(failurePause, MAX_STORE_PAUSE_MILLIS);
      } catch (RuntimeException e) {
        log.error(
            "route {} stage {}: unexpected failure, pausing {} ms",
            route.id(),
            spec.name(),
            failurePause,
            e);
        failurePause = pause(failurePause, MAX_FAILURE_PAUSE_MILLIS);
      }
    }
  }

  private static long pause(long millis, long max) {
    try {
      Thread.sleep(Math.min(millis, max));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Math.min(millis * 2, max);
  }
}
