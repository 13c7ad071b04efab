package dev.postoffice.micrometer;

import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory upstream route run by hand, with the binder wired the way a host wires it: orders
 * with a negative quantity are rejected, orders whose id is in {@link #stockDown} fail transiently
 * (two attempts, then Failed), the rest reach the Core App when its receiver runs.
 */
final class ShopPipeline implements AutoCloseable {
  static final String ORDERS = "orders";
  static final String QUEUE = "core.orders";

  /**
   * An hour ahead of the wall clock: the engine reads the delivery latency from the time-ordered
   * ids, made on the wall clock, and reports none while its own clock is behind them.
   */
  static final Instant START =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(1));

  record Order(String id, int qty) {}

  final MutableClock clock = MutableClock.at(START);
  final CountingStore store = new CountingStore(InMemoryStatusStore.create());
  final InMemoryTransport transport = InMemoryTransport.create();
  final Set<String> stockDown = ConcurrentHashMap.newKeySet();
  final PostOfficeMetrics metrics;
  final Pipeline pipeline;
  final PipelineDriver driver;
  private CoreAppReceiver<Order> receiver;

  ShopPipeline(MeterRegistry registry, PostOfficeMetricsBuilder binder) {
    JacksonCodec codec = JacksonCodec.create();
    metrics = binder.clock(clock).build();
    pipeline =
        PostOffice.builder()
            .nodeId("node-1")
            .store(store)
            .transport(transport)
            .clock(clock)
            .manualScheduling()
            .listener(metrics)
            .route(
                Route.upstream(ORDERS)
                    .normalize(Order.class, raw -> valid(codec.decode(raw.payload(), Order.class)))
                    .translate(Order.class, this::translate)
                    .publishTo(QUEUE)
                    .settings(
                        RouteSettings.builder()
                            .linger(Duration.ZERO)
                            .retry(
                                RetrySettings.ofDefaults()
                                    .withMaxAttempts(2)
                                    .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(1)))
                            .build())
                    .build())
            .build()
            .start();
    metrics.attach(pipeline).bindTo(registry);
    driver = PipelineDriver.of(pipeline, transport);
  }

  private static Order valid(Order order) {
    if (order.qty() < 0) {
      throw new RejectedInputException("qty must be >= 0, but was " + order.qty());
    }
    return order;
  }

  private List<Order> translate(Order order) {
    if (stockDown.contains(order.id())) {
      throw new TransientFailureException("stock service unavailable");
    }
    return List.of(order);
  }

  void submit(String id, int qty) {
    pipeline
        .intake(ORDERS)
        .submit(RawMessage.json("{\"id\":\"" + id + "\",\"qty\":" + qty + "}", "d-" + id));
  }

  /** Starts the Core App's side, which acknowledges what it receives. */
  void startCoreApp() {
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), Order.class)
            .from(QUEUE)
            .clock(clock)
            .handler((order, ctx) -> {})
            .build()
            .start();
  }

  @Override
  public void close() {
    if (receiver != null) {
      receiver.close();
    }
    pipeline.close();
    transport.close();
    store.close();
  }
}
