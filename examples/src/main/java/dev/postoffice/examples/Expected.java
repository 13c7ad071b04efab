package dev.postoffice.examples;

import dev.postoffice.core.operator.Operations;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts a run should end with, per route, layer and status, checked against {@code
 * operations().stats()}. A run is settled when every expected count is reached and no entry is
 * still in a non-terminal status ({@code Just In}, {@code Retrying}, {@code Queued}). Not
 * thread-safe.
 */
public final class Expected {
  private static final long POLL_MILLIS = 50;

  private record Key(String route, Layer layer, Status status) {}

  private final Map<Key, Long> counts = new LinkedHashMap<>();

  /**
   * Expects a count.
   *
   * @param route the route's name
   * @param layer the layer
   * @param status the status
   * @param count how many entries at least
   * @return this
   */
  public Expected expect(String route, Layer layer, Status status, long count) {
    counts.put(new Key(route, layer, status), count);
    return this;
  }

  /**
   * Tells what is still missing.
   *
   * @param stats the counts now
   * @return one line per unmet expectation or non-terminal count; empty when settled
   */
  public List<String> missing(List<StatusCount> stats) {
    List<String> missing = new ArrayList<>();
    Map<Key, Long> actual = new LinkedHashMap<>();
    for (StatusCount c : stats) {
      actual.merge(new Key(c.route().value(), c.layer(), c.status()), c.count(), Long::sum);
      if (!c.status().isTerminal() && c.count() > 0) {
        missing.add(
            c.count() + " entries of " + c.route() + " " + c.layer() + " still " + c.status());
      }
    }
    counts.forEach(
        (key, want) -> {
          long have = actual.getOrDefault(key, 0L);
          if (have < want) {
            missing.add(
                key.route() + " " + key.layer() + " " + key.status() + ": " + have + " of " + want);
          }
        });
    return missing;
  }

  /**
   * Polls the counts until the run is settled or the timeout passes.
   *
   * @param operations the pipeline's operator API
   * @param timeout how long to wait at most
   * @return what is still missing; empty when settled
   * @throws InterruptedException if interrupted while waiting
   */
  public List<String> awaitSettled(Operations operations, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> missing = missing(operations.stats());
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MILLIS);
      missing = missing(operations.stats());
    }
    return missing;
  }
}
