package dev.postoffice.testkit;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.memory.InMemoryTransport;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Runs a pipeline built with {@code .manualScheduling()} deterministically, on the test's thread,
 * until nothing is left to do: every stage runs until no entry is due, in-memory transports deliver
 * everything they hold (the Core App receiver, acknowledgements, downstream messages), and again
 * until both are quiet. Retries scheduled in the future stay scheduled: move a {@link MutableClock}
 * forward and drain again.
 *
 * <pre>{@code
 * Pipeline pipeline = PostOffice.builder()...clock(clock).manualScheduling().build().start();
 * PipelineDriver driver = PipelineDriver.of(pipeline, transport);
 * pipeline.intake("acme-orders").submit(RawMessage.json(body, "d-1"));
 * driver.drain();
 * clock.advance(Duration.ofMinutes(5));
 * driver.drain(); // retries that became due run now
 * }</pre>
 */
public final class PipelineDriver {
  /** How long {@link #drain()} waits for a transport's deliveries to settle, unless set. */
  public static final Duration DEFAULT_PATIENCE = Duration.ofSeconds(10);

  /** The most passes a drain makes before it calls the pipeline runaway. */
  public static final int MAX_PASSES = 1_000_000;

  private final Pipeline pipeline;
  private final List<InMemoryTransport> transports;
  private final Duration patience;

  private PipelineDriver(Pipeline pipeline, List<InMemoryTransport> transports, Duration patience) {
    this.pipeline = pipeline;
    this.transports = transports;
    this.patience = patience;
  }

  /**
   * Returns a driver.
   *
   * @param pipeline a started pipeline with manual scheduling
   * @param transports the in-memory transports its routes and receivers use
   * @return the driver
   */
  public static PipelineDriver of(Pipeline pipeline, InMemoryTransport... transports) {
    return new PipelineDriver(
        Objects.requireNonNull(pipeline, "pipeline cannot be null"),
        List.of(transports),
        DEFAULT_PATIENCE);
  }

  /**
   * Returns a copy that waits longer (or shorter) for transports to settle.
   *
   * @param value the wait
   * @return the copy
   */
  public PipelineDriver withPatience(Duration value) {
    return new PipelineDriver(
        pipeline, transports, Objects.requireNonNull(value, "patience cannot be null"));
  }

  /**
   * Runs until idle.
   *
   * @return how many entries were worked on
   * @throws AssertionError if a transport does not settle within the patience, or the pipeline
   *     never idles
   */
  public int drain() {
    int total = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      int worked = pipeline.runOnce();
      total += worked;
      if (worked == 0) {
        awaitTransports();
        if (pipeline.runOnce() == 0 && transportsIdle()) {
          return total;
        }
      }
    }
    throw new AssertionError(
        "pipeline " + pipeline.nodeId() + " still had work after " + MAX_PASSES + " passes");
  }

  private void awaitTransports() {
    for (InMemoryTransport transport : transports) {
      try {
        if (!transport.awaitIdle(patience)) {
          throw new AssertionError(
              "transport " + transport + " did not become idle within " + patience);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while draining", e);
      }
    }
  }

  private boolean transportsIdle() {
    return transports.stream().allMatch(InMemoryTransport::isIdle);
  }
}
