package dev.postoffice.coreapp.internal;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.spi.Subscription;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses a receiver's subscription while its receipt log is unreachable, and resumes it once a
 * probe of the log answers, probing after pauses that start at {@code first} and double up to
 * {@code max}, each due that long after the previous probe started (the way the engine's intake
 * pauses while its store is down). While paused the broker keeps the messages: it neither counts
 * them as delivery attempts nor times the consumer out.
 */
final class ConsumerPause {
  /** The receiver's own logger: operators know the receiver by its public class name. */
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final String name;
  private final Duration first;
  private final Duration max;
  private final Object gate = new Object();
  private Subscription subscription; // guarded by gate
  private Thread prober; // guarded by gate; non-null while paused
  private boolean running; // guarded by gate
  private volatile boolean paused;

  ConsumerPause(String name, Duration first, Duration max) {
    this.name = name;
    this.first = first;
    this.max = max;
  }

  /** The receiver starts: not paused. */
  void open() {
    synchronized (gate) {
      running = true;
      paused = false;
    }
  }

  /**
   * The receiver's subscription; a pause before it was known (a delivery handled before {@code
   * subscribe} returned) applies to it now.
   */
  void subscribed(Subscription value) {
    synchronized (gate) {
      subscription = value;
      if (paused) {
        value.pause();
      }
    }
  }

  /**
   * @return whether the subscription is paused (the receipt log known to be unreachable)
   */
  boolean isPaused() {
    return paused;
  }

  /**
   * Pauses the subscription and starts probing the receipt log, unless paused already.
   *
   * @param released how many deliveries are given back, for the log
   * @param cause why
   * @param probe asks the log once; throws {@link StoreUnavailableException} while it is down
   */
  void pause(int released, RuntimeException cause, Runnable probe) {
    synchronized (gate) {
      if (paused || !running) {
        return;
      }
      paused = true;
      log.warn(
          "receiver {}: {}; giving {} message(s) back to the broker (not a delivery attempt) and"
              + " pausing consumption until the receipt log answers",
          name,
          cause.getMessage(),
          released);
      if (subscription != null) {
        subscription.pause();
      }
      long pausedAt = System.nanoTime();
      prober = new Thread(() -> probe(pausedAt, probe), "postoffice-receiver-" + name + "-probe");
      prober.setDaemon(true);
      prober.start();
    }
  }

  /** The receiver closes: probing stops, and the subscription is no longer resumed. */
  void close() {
    Thread p;
    synchronized (gate) {
      running = false;
      paused = false;
      subscription = null;
      p = prober;
      prober = null;
    }
    if (p != null) {
      p.interrupt();
    }
  }

  private void resume(long pausedAt) {
    synchronized (gate) {
      if (!running || prober != Thread.currentThread()) {
        return;
      }
      paused = false;
      prober = null;
      if (subscription != null) {
        subscription.resume();
      }
    }
    log.info(
        "receiver {}: the receipt log answers again; consumption resumed after {} ms",
        name,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt));
  }

  /**
   * Probes until the log answers, then resumes. Logs at WARN every dozen failed probes at the
   * longest pause, like a held call.
   */
  private void probe(long pausedAt, Runnable probe) {
    long interval = TimeUnit.MILLISECONDS.toNanos(first.toMillis());
    long due = pausedAt + interval;
    int failed = 0;
    while (true) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          TimeUnit.NANOSECONDS.sleep(wait);
        } catch (InterruptedException e) {
          return; // closing
        }
      }
      synchronized (gate) {
        if (!running) {
          return;
        }
      }
      long attempt = System.nanoTime();
      try {
        probe.run();
        resume(pausedAt);
        return;
      } catch (StoreUnavailableException e) {
        failed++;
        if (interval == max.toNanos() && failed % 12 == 0) {
          log.warn(
              "receiver {}: receipt log still unreachable after {} ms: {}; consumption stays paused",
              name,
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pausedAt),
              e.getMessage());
        } else {
          log.debug("receiver {}: still paused: {}", name, e.getMessage());
        }
      } catch (RuntimeException e) {
        log.warn("receiver {}: probing the receipt log failed; still paused", name, e);
      }
      interval = Math.min(interval * 2, max.toNanos());
      due = attempt + interval;
    }
  }
}
