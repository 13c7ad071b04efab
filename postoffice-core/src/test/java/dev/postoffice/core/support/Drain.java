package dev.postoffice.core.support;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.memory.InMemoryTransport;
import java.time.Duration;

/**
 * Runs a manually scheduled pipeline until nothing is left to do (core's own copy of the testkit
 * helper).
 */
public final class Drain {
  private Drain() {}

  public static int untilIdle(Pipeline pipeline, InMemoryTransport transport) {
    int total = 0;
    for (int round = 0; round < 100_000; round++) {
      int worked = pipeline.runOnce();
      total += worked;
      if (worked == 0) {
        try {
          if (!transport.awaitIdle(Duration.ofSeconds(10))) {
            throw new AssertionError("transport did not become idle within 10 s");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
        if (pipeline.runOnce() == 0 && transport.isIdle()) {
          return total;
        }
      }
    }
    throw new AssertionError("pipeline still busy after 100000 rounds");
  }
}
