package dev.postoffice.testkit.junit;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.core.operator.Operations;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.testkit.EntryAssert;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One test's pipeline, made by {@link PostOfficeExtension}: an {@link InMemoryStatusStore}, an
 * {@link InMemoryTransport}, a {@link MutableClock} and a pipeline on them with manual scheduling,
 * which {@link #drain()} runs on the test's thread until nothing is left to do.
 *
 * <p>The pipeline starts on first use ({@link #submit}, {@link #pipeline()}, {@link #drain()}, ...)
 * with the test class's {@link TestRoute} routes, or when the test calls {@link #start(Route...)}
 * with its own. {@link #restart(Route...)} starts a new pipeline on the same store, transport and
 * clock, as a deployment of a new version would.
 *
 * <pre>{@code
 * IntakeReceipt receipt = po.submit("acme-orders", json, "delivery-1");
 * po.drain();
 * po.clock().advance(Duration.ofMinutes(5));
 * po.drain(); // retries that became due run now
 * assertThat(po).descendantsOf(receipt).layer(Layer.L4).hasStatus(Status.ACKNOWLEDGED);
 * }</pre>
 *
 * <p>Not thread-safe: one test uses it on its own thread.
 */
public final class TestPostOffice implements AutoCloseable {
  /** The most entries a query of {@link #entries(String, Layer)} returns. */
  public static final int MAX_LISTED = 100_000;

  private final MutableClock clock;
  private final InMemoryStatusStore store = InMemoryStatusStore.create();
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final TestRoutes declared;
  private final List<Consumer<PipelineBuilder>> customizers = new ArrayList<>();
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private Pipeline pipeline;
  private PipelineDriver driver;

  TestPostOffice(MutableClock clock, TestRoutes declared) {
    this.clock = clock;
    this.declared = declared;
  }

  /**
   * Returns the clock the pipeline reads; give it to a Core App receiver too.
   *
   * @return the clock
   */
  public MutableClock clock() {
    return clock;
  }

  /**
   * Returns the store.
   *
   * @return the in-memory store, kept across {@link #restart}
   */
  public InMemoryStatusStore store() {
    return store;
  }

  /**
   * Returns the transport; a Core App receiver or sender in the test uses it too.
   *
   * @return the in-memory transport, kept across {@link #restart}
   */
  public InMemoryTransport transport() {
    return transport;
  }

  /**
   * Adds settings to the pipeline's builder, such as a listener, an ingestor or a codec, before it
   * starts. The store, transport, clock and manual scheduling are set already.
   *
   * @param customizer changes the builder
   * @return this
   * @throws IllegalStateException if the pipeline has started
   */
  public TestPostOffice configure(Consumer<PipelineBuilder> customizer) {
    Objects.requireNonNull(customizer, "customizer cannot be null");
    if (pipeline != null) {
      throw new IllegalStateException(
          "configure(...) must come before the pipeline starts, but it has started [Hint: call it"
              + " in a @BeforeEach method, or before submit/start/pipeline()]");
    }
    customizers.add(customizer);
    return this;
  }

  /**
   * Starts the pipeline with these routes instead of the {@link TestRoute} ones.
   *
   * @param routes the routes, at least one
   * @return the started pipeline
   * @throws IllegalStateException if the pipeline has started already
   */
  public Pipeline start(Route... routes) {
    if (pipeline != null) {
      throw new IllegalStateException(
          "the pipeline has started already [Hint: call start(...) before any other use, or"
              + " restart(...) to deploy other routes on the same store]");
    }
    return startWith(List.of(routes));
  }

  /**
   * Closes the pipeline and starts a new one on the same store, transport and clock, as deploying a
   * new version would. Receivers and senders registered with {@link #closeAfterTest} keep running.
   *
   * @param routes the new pipeline's routes
   * @return the new pipeline
   */
  public Pipeline restart(Route... routes) {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
    return startWith(List.of(routes));
  }

  private Pipeline startWith(List<Route> routes) {
    PipelineBuilder builder =
        PostOffice.builder().store(store).transport(transport).clock(clock).manualScheduling();
    customizers.forEach(c -> c.accept(builder));
    routes.forEach(builder::route);
    pipeline = builder.build().start();
    driver = PipelineDriver.of(pipeline, transport);
    return pipeline;
  }

  /**
   * Returns the pipeline, starting it with the {@link TestRoute} routes if the test has not started
   * it.
   *
   * @return the started pipeline
   */
  public Pipeline pipeline() {
    if (pipeline == null) {
      startWith(declared.read());
    }
    return pipeline;
  }

  /**
   * Returns the driver of the pipeline (starting it if needed).
   *
   * @return the driver
   */
  public PipelineDriver driver() {
    pipeline();
    return driver;
  }

  /**
   * Runs the pipeline until idle: every stage until no entry is due, and the transport until it has
   * delivered everything (to Core App receivers, acknowledgements, downstream routes). Retries due
   * later stay scheduled: move the {@link #clock()} and drain again.
   *
   * @return how many entries were worked on
   */
  public int drain() {
    return driver().drain();
  }

  /**
   * Submits a JSON body to an upstream route's intake, as a webhook would.
   *
   * @param route the route
   * @param json the body
   * @param deliveryId the partner's delivery id (the dedup key), or null for none
   * @return the receipt
   */
  public IntakeReceipt submit(String route, String json, String deliveryId) {
    return submit(route, RawMessage.json(json, deliveryId));
  }

  /**
   * Submits a message to an upstream route's intake.
   *
   * @param route the route
   * @param message the message
   * @return the receipt
   */
  public IntakeReceipt submit(String route, RawMessage message) {
    return pipeline().intake(route).submit(message);
  }

  /**
   * Returns the operator API: trace, lineage, failed entries, replay.
   *
   * @return the operations of the pipeline (starting it if needed)
   */
  public Operations operations() {
    return pipeline().operations();
  }

  /**
   * Returns the entries of a route in a layer, as the store holds them now (without payloads).
   *
   * @param route the route
   * @param layer the layer
   * @return the entries, at most {@value #MAX_LISTED}
   */
  public List<Entry> entries(String route, Layer layer) {
    return store.query(
        new EntryQuery(
            RouteId.of(route), Objects.requireNonNull(layer), Set.of(), null, MAX_LISTED, false));
  }

  /**
   * Returns an entry's descendants in a layer (its outputs, their outputs, ...), breadth first.
   *
   * @param id the entry, such as {@code receipt.entryId()}
   * @param layer the layer
   * @return the entries, without payloads
   * @throws AssertionError if the store has no such entry
   */
  public List<Entry> descendants(EntryId id, Layer layer) {
    return EntryAssert.assertThatEntry(store, id).descendantsIn(layer);
  }

  /**
   * Closes something the test started, such as a Core App receiver, after the test and before the
   * pipeline; the last registered closes first.
   *
   * @param closeable what to close
   * @param <T> its type
   * @return the same object
   */
  public <T extends AutoCloseable> T closeAfterTest(T closeable) {
    closeables.push(Objects.requireNonNull(closeable, "closeable cannot be null"));
    return closeable;
  }

  /**
   * Closes what the test registered, the pipeline and the transport; {@link PostOfficeExtension}
   * does.
   */
  @Override
  public void close() {
    RuntimeException failure = null;
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        failure = first(failure, e);
      }
    }
    try {
      if (pipeline != null) {
        pipeline.close();
      }
    } catch (RuntimeException e) {
      failure = first(failure, e);
    }
    transport.close();
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException first(RuntimeException failure, Exception e) {
    if (failure == null) {
      return e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    failure.addSuppressed(e);
    return failure;
  }

  @Override
  public String toString() {
    return "TestPostOffice[clock=" + clock.instant() + ", started=" + (pipeline != null) + "]";
  }
}
