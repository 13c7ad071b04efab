package dev.postoffice.examples;

import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.micrometer.PostOfficeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;

/**
 * The example's parts, wired on embedded defaults and running on their own threads: the in-memory
 * store and transport, the pipeline with both Acme routes and its meters, the Core App's receiver
 * and sender, and the stand-in for Acme's API. {@link #close()} stops them in order. Not meant to
 * be shared between threads while starting.
 */
public final class AcmeExample implements AutoCloseable {
  /** Route settings for a demo that finishes in seconds: short retry backoff. */
  public static final RouteSettings SETTINGS =
      RouteSettings.builder()
          .retry(
              RetrySettings.ofDefaults().withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2)))
          .build();

  private final InMemoryStatusStore store = InMemoryStatusStore.create();
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final JacksonCodec codec = JacksonCodec.create();
  private final CoreOrderBook orderBook = new CoreOrderBook();
  private final AcmeApiStandIn acme = AcmeApiStandIn.create(codec);
  private final MeterRegistry registry = new SimpleMeterRegistry(); // a host's own registry
  private final Pipeline pipeline;
  private final CoreAppReceiver<OrderLinePlaced> receiver;
  private final CoreAppSender sender;

  private AcmeExample(int outageRequests, Duration outageRetryAfter) {
    acme.unavailableFor(outageRequests, outageRetryAfter);
    // tag::wiring[]
    // tag::metrics[]
    PostOfficeMetrics metrics = PostOfficeMetrics.ofDefaults(); // postoffice-micrometer
    pipeline =
        PostOffice.builder()
            .store(store) // InMemoryStatusStore.create()
            .transport(transport) // InMemoryTransport.create()
            .listener(metrics) // counters and timers from the engine's events
            .route(AcmeRoutes.orders(codec, SETTINGS))
            .route(AcmeRoutes.shipments(codec, acme, SETTINGS))
            .build();
    metrics.attach(pipeline).bindTo(registry); // gauges that read the store, cached; before start
    pipeline.start();
    // end::metrics[]
    // The Core App's side, embedded in the core: receives core.orders, dedups, acknowledges.
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderLinePlaced.class)
            .from(AcmeRoutes.ORDERS_QUEUE)
            .handler(orderBook)
            .build()
            .start();
    sender = CoreAppSender.create(transport); // the core sends ShipOrder commands with it
    // end::wiring[]
  }

  /**
   * Starts everything.
   *
   * @param outageRequests how many requests Acme's stand-in answers 503 at first
   * @param outageRetryAfter the {@code Retry-After} it sends with them
   * @return the running example
   */
  public static AcmeExample start(int outageRequests, Duration outageRetryAfter) {
    return new AcmeExample(outageRequests, outageRetryAfter);
  }

  /**
   * @return the running pipeline
   */
  public Pipeline pipeline() {
    return pipeline;
  }

  /**
   * @return the registry the pipeline's meters are on
   */
  public MeterRegistry meters() {
    return registry;
  }

  /**
   * @return the sender the example core uses
   */
  public CoreAppSender sender() {
    return sender;
  }

  /**
   * @return the example core's handler, with what it saw
   */
  public CoreOrderBook orderBook() {
    return orderBook;
  }

  /**
   * @return the stand-in for Acme's API, with what it received
   */
  public AcmeApiStandIn acme() {
    return acme;
  }

  /** Stops the receiver, then the pipeline (gracefully), then the transport and the store. */
  @Override
  public void close() {
    receiver.close();
    pipeline.close();
    transport.close();
    store.close();
  }
}
