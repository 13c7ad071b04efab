package dev.postoffice.spring.boot;

import dev.postoffice.core.Pipeline;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured pipeline when the application context has refreshed and stops it
 * gracefully when the context closes: ingestors and consumers first, then the stages finish the
 * batch in hand, then this node's leases are released, all within the shutdown timeout ({@code
 * postoffice.shutdown-timeout}).
 *
 * <p>Its {@link #PHASE} is below the web server's, so the pipeline is running before the server
 * takes requests (a controller may submit to an intake at once) and stops only after the server has
 * stopped taking them. Thread-safe.
 */
public final class PostOfficeLifecycle implements SmartLifecycle {
  /**
   * The lifecycle phase: started before, and stopped after, the web server ({@code DEFAULT_PHASE -
   * 2048}) and its graceful shutdown ({@code DEFAULT_PHASE - 1024}).
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private static final Logger LOG = LoggerFactory.getLogger(PostOfficeLifecycle.class);

  private final Pipeline pipeline;
  private final Duration shutdownTimeout;
  private final boolean autoStartup;
  private boolean running; // guarded by this
  private boolean stopped; // guarded by this

  /**
   * Creates the lifecycle of a pipeline.
   *
   * @param pipeline the pipeline, built and not started
   * @param shutdownTimeout how long {@link #stop()} waits for in-flight work
   * @param autoStartup whether the context starts the pipeline
   * @throws NullPointerException if pipeline or shutdownTimeout is null
   */
  public PostOfficeLifecycle(Pipeline pipeline, Duration shutdownTimeout, boolean autoStartup) {
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline cannot be null");
    this.shutdownTimeout =
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout cannot be null");
    this.autoStartup = autoStartup;
  }

  /**
   * Starts the pipeline; a failure (a broker that refuses a declaration, say) fails the context's
   * start-up. Does nothing if it runs already.
   *
   * @throws IllegalStateException if it was stopped before: a pipeline does not start twice
   */
  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    if (stopped) {
      throw new IllegalStateException(
          "the PostOffice pipeline "
              + pipeline.nodeId()
              + " was stopped and cannot be started again [Hint: close the context and create a"
              + " new one]");
    }
    pipeline.start();
    running = true;
    LOG.debug("started PostOffice pipeline {} with the context", pipeline.nodeId());
  }

  /**
   * Stops the pipeline gracefully, returning by the shutdown timeout whatever happens (see {@link
   * Pipeline#stop(Duration)}). Does nothing if it is not running. A stopped pipeline is not started
   * again: a context that is refreshed again builds a new one.
   */
  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    stopped = true;
    boolean clean = pipeline.stop(shutdownTimeout);
    if (clean) {
      LOG.debug("stopped PostOffice pipeline {} with the context", pipeline.nodeId());
    } else {
      LOG.warn(
          "PostOffice pipeline {} did not finish in {}: work in hand was interrupted; its entries"
              + " are taken again when their leases expire",
          pipeline.nodeId(),
          shutdownTimeout);
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return running;
  }

  /**
   * Returns false: a pipeline cannot be started again once stopped, so it keeps running while a
   * context is paused (as Spring's test context cache does with contexts not in use).
   */
  @Override
  public boolean isPauseable() {
    return false;
  }

  @Override
  public boolean isAutoStartup() {
    return autoStartup;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /**
   * @return the pipeline this lifecycle starts and stops
   */
  public Pipeline pipeline() {
    return pipeline;
  }
}
