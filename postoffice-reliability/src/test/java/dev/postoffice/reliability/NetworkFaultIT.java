package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantees 1 and 2 under network faults: PostOffice reaches PostgreSQL and RabbitMQ only through
 * {@link FaultProxy}s, which add latency, cut connections, and black-hole traffic for a while, one
 * fault at a time, while partner messages and Core App messages keep coming. The Core App (receiver
 * and sender) and the partner are on direct connections: only PostOffice's network is broken. After
 * each fault ends, the time until everything accepted so far is Acknowledged or Dispatched is
 * measured and printed.
 *
 * <p>Short mode: each fault lasts 4 s; long mode 20 s. Recovery must take at most 60 s (long: 120
 * s).
 */
@DisplayName("Network faults between PostOffice and PostgreSQL or RabbitMQ")
class NetworkFaultIT {
  private static final Duration FAULT = Duration.ofSeconds(Mode.LONG ? 20 : 4);
  private static final Duration MAX_RECOVERY = Duration.ofSeconds(Mode.LONG ? 120 : 60);

  @RegisterExtension
  static final SuiteFixture suite =
      SuiteFixture.of("faults", "faults-direct", 4, Flows.ORDERS_QUEUE, Flows.SHIPMENTS_QUEUE);

  private static HikariDataSource proxied;
  private static FaultProxy pgProxy;
  private static FaultProxy rabbitProxy;
  private static JdbcStatusStore store;

  @BeforeAll
  static void setUp() throws Exception {
    suite.store().migrate();
    pgProxy = suite.opened(FaultProxy.to(Services.HOST, Services.POSTGRES_PORT));
    rabbitProxy = suite.opened(FaultProxy.to(Services.HOST, Services.RABBIT_PORT));
    proxied = suite.opened(Services.postgres(pgProxy.port(), 6, "faults-proxied"));
    store = JdbcStatusStore.builder(proxied).tablePrefix(suite.tables()).build();
  }

  @Test
  @DisplayName(
      "after latency, cut connections and a black hole on either service, nothing is lost or"
          + " duplicated and the pipeline catches up within a bounded time")
  void faults() throws Exception {
    RabbitTransport postOfficeRabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), rabbitProxy.port(), "faults-postoffice").build()));
    RabbitTransport coreRabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), Services.RABBIT_PORT, "faults-core").build()));
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    Map<String, Set<String>> keysByReference = new ConcurrentHashMap<>();
    AtomicInteger partnerCalls = new AtomicInteger();
    Dispatcher partner =
        (request, context) -> {
          partnerCalls.incrementAndGet();
          String reference =
              Flows.CODEC.decode(request.body(), Flows.PartnerShipment.class).reference();
          keysByReference
              .computeIfAbsent(reference, r -> ConcurrentHashMap.newKeySet())
              .add(context.idempotencyKey());
          return new DispatchResult(201, "{}");
        };
    RouteSettings settings = Flows.settings(Duration.ofSeconds(3)).build();
    Pipeline pipeline =
        suite.opened(
            PostOffice.builder()
                .store(store)
                .transport(postOfficeRabbit)
                .route(Flows.orders("orders", Flows.ORDERS_QUEUE, settings))
                .route(
                    Flows.shipments(
                        "shipments",
                        Flows.SHIPMENTS_QUEUE,
                        URI.create("http://partner.invalid/"),
                        settings,
                        partner))
                .build()
                .start());
    suite.opened(
        CoreAppReceiver.builder(coreRabbit, suite.receipts(), Flows.OrderPlaced.class)
            .from(Flows.ORDERS_QUEUE)
            .name("orders")
            .handler(
                (order, context) ->
                    handled
                        .computeIfAbsent(order.orderId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .build()
            .start());
    CoreAppSender sender = CoreAppSender.create(coreRabbit);

    Map<String, Consumer<FaultProxy>> faults = new LinkedHashMap<>();
    faults.put("latency 150 ms", p -> p.latency(Duration.ofMillis(150)));
    faults.put("connections cut", FaultProxy::cutAndRefuse);
    faults.put("black hole", FaultProxy::blackHole);
    Feed feed = new Feed(pipeline, sender);
    Map<String, Duration> recovery = new LinkedHashMap<>();
    for (Map.Entry<String, FaultProxy> service :
        Map.of("PostgreSQL", pgProxy, "RabbitMQ", rabbitProxy).entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .toList()) {
      for (Map.Entry<String, Consumer<FaultProxy>> fault : faults.entrySet()) {
        feed.start();
        Await.pause(Duration.ofSeconds(1));
        fault.getValue().accept(service.getValue());
        Await.pause(FAULT);
        service.getValue().heal();
        feed.stop();
        int up = feed.upstream.get();
        int down = feed.downstream.get();
        Duration took =
            Await.until(
                MAX_RECOVERY,
                "the pipeline caught up after " + service.getKey() + " " + fault.getKey(),
                // At least: an intake whose commit was cut may have stored a message its caller
                // never saw accepted.
                () ->
                    handled.size() >= up
                        && keysByReference.size() >= down
                        && count(store, "orders", Layer.L4, Status.ACKNOWLEDGED) >= up
                        && count(store, "shipments", Layer.L1, Status.DISPATCHED) >= down
                        && notTerminal(store) == 0,
                () ->
                    "accepted up="
                        + up
                        + " down="
                        + down
                        + ", handled="
                        + handled.size()
                        + ", partner="
                        + keysByReference.size()
                        + ", "
                        + stats(store));
        recovery.put(service.getKey() + " " + fault.getKey(), took);
        System.out.println(
            "reliability: "
                + service.getKey()
                + " "
                + fault.getKey()
                + " for "
                + FAULT.toSeconds()
                + " s: caught up "
                + took.toMillis()
                + " ms after it ended ("
                + up
                + " up, "
                + down
                + " down)");
      }
    }

    for (int i = 0; i < feed.upstream.get(); i++) {
      assertThat(handled).as("accepted orders the core handler saw").containsKey("o-" + i);
    }
    assertThat(handled.values().stream().filter(n -> n.get() != 1).count())
        .as("orders the core handler saw more than once")
        .isZero();
    for (int i = 0; i < feed.downstream.get(); i++) {
      assertThat(keysByReference).as("shipments the partner got").containsKey("REF-o-" + i);
    }
    assertThat(keysByReference.values().stream().filter(k -> k.size() != 1).count())
        .as("shipments sent under more than one idempotency key")
        .isZero();
    assertThat(
            store.countByStatus().stream()
                .filter(c -> c.status() == Status.FAILED || c.status() == Status.REJECTED))
        .as("failed or rejected entries")
        .isEmpty();
    assertThat(
            store.query(
                new EntryQuery(
                    null,
                    null,
                    EnumSet.of(Status.JUST_IN, Status.RETRYING, Status.QUEUED),
                    null,
                    10,
                    false)))
        .as("entries not terminal")
        .isEmpty();
    Figures.record(
        "network faults",
        "fault="
            + FAULT.toSeconds()
            + "s upstream="
            + feed.upstream.get()
            + " downstream="
            + feed.downstream.get()
            + " lost=0 coreHandlerDuplicates=0 partnerCalls="
            + partnerCalls.get()
            + " intakeRetries="
            + feed.intakeRetries.get()
            + " storedButNotSeenAccepted="
            + (handled.size() - feed.upstream.get())
            + " recoveryMs="
            + recovery.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue().toMillis())
                .collect(Collectors.joining(", ", "{", "}")));
  }

  /** Partner messages (intake, retried until it returns) and Core App messages at a steady pace. */
  static final class Feed {
    final AtomicInteger upstream = new AtomicInteger();
    final AtomicInteger downstream = new AtomicInteger();
    final AtomicInteger intakeRetries = new AtomicInteger();
    private final Pipeline pipeline;
    private final CoreAppSender sender;
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();

    Feed(Pipeline pipeline, CoreAppSender sender) {
      this.pipeline = pipeline;
      this.sender = sender;
    }

    void start() {
      running = true;
      threads.add(
          started(
              "feed-up",
              () -> {
                while (running) {
                  int i = upstream.get();
                  try {
                    pipeline
                        .intake("orders")
                        .submit(RawMessage.json(Flows.orderJson("o-" + i, 1), "d-" + i));
                    upstream.incrementAndGet();
                    Await.pause(Duration.ofMillis(25));
                  } catch (RuntimeException e) {
                    intakeRetries.incrementAndGet();
                    Await.pause(Duration.ofMillis(100));
                  }
                }
              }));
      threads.add(
          started(
              "feed-down",
              () -> {
                while (running) {
                  int i = downstream.get();
                  try {
                    sender
                        .send(
                            Flows.SHIPMENTS_QUEUE,
                            "ship-" + i,
                            new Flows.ShipOrder("o-" + i, "1 Main St"))
                        .join();
                    downstream.incrementAndGet();
                    Await.pause(Duration.ofMillis(40));
                  } catch (RuntimeException e) {
                    Await.pause(Duration.ofMillis(100));
                  }
                }
              }));
    }

    private static Thread started(String name, Runnable body) {
      Thread t = new Thread(body, name);
      t.setDaemon(true);
      t.start();
      return t;
    }

    void stop() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join();
      }
      threads.clear();
    }
  }

  /**
   * The entries of a route and layer in a status (any status if null), or -1 when the store is
   * unreachable.
   */
  static long count(JdbcStatusStore store, String route, Layer layer, Status status) {
    RouteId id = RouteId.of(route);
    try {
      return store.countByStatus().stream()
          .filter(
              c ->
                  c.route().equals(id)
                      && c.layer() == layer
                      && (status == null || c.status() == status))
          .mapToLong(StatusCount::count)
          .sum();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static long notTerminal(JdbcStatusStore store) {
    try {
      return store.countByStatus().stream()
          .filter(c -> !c.status().isTerminal())
          .mapToLong(StatusCount::count)
          .sum();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  static String stats(JdbcStatusStore store) {
    return store.countByStatus().stream()
        .map(c -> c.route().value() + "/" + c.layer() + "/" + c.status() + "=" + c.count())
        .collect(Collectors.joining(", "));
  }
}
