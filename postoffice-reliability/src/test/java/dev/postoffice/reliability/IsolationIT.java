package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.dispatch.HttpDispatcher;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.StageFinished;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 4 (isolated): a healthy upstream route's throughput alone, then beside a downstream
 * route whose partner hangs every request and an upstream route whose translator throws on every
 * message, both loaded and in their bad state before the clock starts. Each measurement has fresh
 * routes and fresh tables, and pairs alternate their order.
 *
 * <p>Two loads: flat out (the healthy route alone then keeps both cores of the test machine busy,
 * so whatever CPU the bad routes' retries take shows as lost throughput: recorded, not asserted),
 * and an offered rate of half that (asserted: at least 0.8 of the rate alone, best of up to three
 * pairs). A bulkhead failure — a worker, consumer, connection or lock the bad routes can hold —
 * stalls the healthy route at either load.
 */
@DisplayName("Isolation: a hanging partner and a throwing translator beside a healthy route")
class IsolationIT {
  private static final int MESSAGES =
      Mode.pick("postoffice.reliability.isolation.messages", 3000, 20_000);
  private static final int ATTEMPTS = 3;

  /**
   * The most messages of the healthy route submitted and not yet published while it is measured.
   */
  private static final int WINDOW = 400;

  /** Shipments sent to the route whose partner hangs. */
  private static final int HANGING = 300;

  /** Orders sent to the route whose translator throws. */
  private static final int THROWING = 1000;

  private static HikariDataSource db;
  private static JdbcStatusStore store;
  private static String tables;
  private static String queues;
  private static final List<String> queueNames = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    Services.assumeReachable();
    db = Services.postgres(Services.POSTGRES_PORT, 10, "isolation");
    queues = Services.queuePrefix("iso");
  }

  /**
   * Gives the next measurement tables of its own: the rows an earlier one left (and autovacuum
   * cleaning them up meanwhile) slowed whichever measurement came next, by up to a factor of three.
   */
  private static void freshTables() throws SQLException {
    if (tables != null) {
      Services.dropTables(db, tables);
    }
    tables = Services.tablePrefix("iso");
    store = JdbcStatusStore.builder(db).tablePrefix(tables).build();
    store.migrate();
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (db != null) {
      if (tables != null) {
        Services.dropTables(db, tables);
      }
      db.close();
      Services.deleteQueues(queues, queueNames);
    }
  }

  @Test
  @DisplayName("the healthy route keeps at least 80% of its throughput alone")
  void healthyRouteKeepsItsPace() throws Exception {
    // A first, discarded run alone: otherwise the first measurement pays for class loading, JIT and
    // the
    // database's cold caches, and the ratio says more about warm-up than about isolation (a long
    // run once
    // measured 710 msg/s alone, then 2,520 beside the bad routes).
    double warmUp = alone(0, 0);
    System.out.println(
        String.format("reliability: isolation warm-up alone %.0f msg/s (discarded)", warmUp));
    // Flat out, the healthy route alone keeps both cores busy, so the bad routes' retries take CPU
    // time from it
    // whatever the bulkheads do: recorded, not asserted (docs/reliability.md).
    Pairs flatOut = measurePairs(0, 1, 0);
    // Under a load the machine can carry (half its rate alone), what the bulkheads must guarantee:
    // the healthy
    // route keeps its pace beside a hanging partner and a throwing translator. A shared worker
    // pool, a shared
    // consumer or a lock held across a dispatch would stall it here.
    double rate = Math.max(100, flatOut.alone() / 2);
    Pairs loaded = measurePairs(rate, ATTEMPTS, 0.8);
    Figures.record(
        "isolation",
        "messages="
            + MESSAGES
            + " "
            + String.join("; ", flatOut.lines())
            + "; "
            + String.join("; ", loaded.lines()));
    assertThat(loaded.best())
        .as(
            "best ratio, at "
                + Math.round(rate)
                + " msg/s offered, of the healthy route's"
                + " throughput beside bad routes to alone; "
                + loaded.lines())
        .isGreaterThanOrEqualTo(0.8);
  }

  /** What {@link #measurePairs} found: each pair's figures, the best ratio, the last rate alone. */
  private record Pairs(List<String> lines, double best, double alone) {}

  /**
   * Measures pairs (alone, beside the bad routes) at an offered rate (0: as fast as it goes) until
   * one reaches {@code enough} or {@code attempts} ran.
   */
  private static Pairs measurePairs(double rate, int attempts, double enough) throws Exception {
    List<String> pairs = new ArrayList<>();
    double bestRatio = 0;
    double lastAlone = 0;
    for (int attempt = 1; attempt <= attempts && (enough == 0 || bestRatio < enough); attempt++) {
      int id = (rate == 0 ? 10 : 20) + attempt;
      // Alternate the order, so that whatever drifts during the test (table sizes, autovacuum, the
      // JIT) does
      // not always favour the same side.
      double alone;
      double beside;
      if (attempt % 2 == 1) {
        alone = alone(id, rate);
        beside = besideBadRoutes(id, rate);
      } else {
        beside = besideBadRoutes(id, rate);
        alone = alone(id, rate);
      }
      lastAlone = alone;
      double ratio = beside / alone;
      bestRatio = Math.max(bestRatio, ratio);
      pairs.add(
          String.format(
              "%s attempt %d: alone %.0f msg/s, beside bad routes %.0f msg/s, ratio %.2f",
              rate == 0 ? "flat out" : "offered " + Math.round(rate) + " msg/s",
              attempt,
              alone,
              beside,
              ratio));
      System.out.println("reliability: isolation " + pairs.get(pairs.size() - 1));
    }
    return new Pairs(pairs, bestRatio, lastAlone);
  }

  private static RouteSettings healthySettings() {
    return Flows.settings(Duration.ofSeconds(30)).ackTimeout(Duration.ofMinutes(10)).build();
  }

  private static Route healthy(String name) {
    queueNames.add("core." + name);
    return Flows.orders(name, "core." + name, healthySettings());
  }

  private static double alone(int attempt, double rate) throws Exception {
    String name = "healthy-alone-" + attempt;
    PublishedCounter published = new PublishedCounter(name);
    freshTables();
    try (RabbitTransport rabbit =
            RabbitTransport.create(Services.rabbit(queues, Services.RABBIT_PORT, "iso").build());
        Pipeline pipeline =
            PostOffice.builder()
                .store(store)
                .transport(rabbit)
                .route(healthy(name))
                .listener(published)
                .build()
                .start()) {
      return measure(pipeline, name, published, rate);
    }
  }

  private static double besideBadRoutes(int attempt, double rate) throws Exception {
    String name = "healthy-mixed-" + attempt;
    String hanging = "hanging-" + attempt;
    String throwing = "throwing-" + attempt;
    queueNames.add("core." + hanging);
    queueNames.add("core." + throwing);
    PublishedCounter published = new PublishedCounter(name);
    freshTables();
    try (Partner partner = Partner.start().hang();
        RabbitTransport rabbit =
            RabbitTransport.create(Services.rabbit(queues, Services.RABBIT_PORT, "iso").build());
        RabbitTransport core =
            RabbitTransport.create(
                Services.rabbit(queues, Services.RABBIT_PORT, "iso-core").build())) {
      HttpDispatcher toHangingPartner =
          HttpDispatcher.builder().requestTimeout(Duration.ofSeconds(60)).build();
      Route throwingRoute =
          Route.upstream(throwing)
              .normalize(
                  Flows.PartnerOrder.class,
                  raw -> Flows.CODEC.decode(raw.payload(), Flows.PartnerOrder.class))
              .translate(
                  Flows.OrderPlaced.class,
                  order -> {
                    throw new IllegalStateException(
                        "translator bug: cannot map " + order.orderId());
                  })
              .publishTo("core." + throwing)
              // The library's retry policy (1 s, doubling, 8 attempts), not the other suites' fast
              // one: a buggy
              // translator in production retries on that schedule.
              .settings(
                  Flows.settings(Duration.ofSeconds(30)).retry(RetrySettings.ofDefaults()).build())
              .build();
      Pipeline pipeline =
          PostOffice.builder()
              .store(store)
              .transport(rabbit)
              .route(healthy(name))
              .route(
                  Flows.shipments(
                      hanging,
                      "core." + hanging,
                      partner.uri(),
                      Flows.settings(Duration.ofSeconds(90)).build(),
                      toHangingPartner))
              .route(throwingRoute)
              .shutdownTimeout(Duration.ofSeconds(2))
              .listener(published)
              .build()
              .start();
      try {
        CoreAppSender sender = CoreAppSender.create(core);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < HANGING; i++) {
          sent.add(
              sender.send(
                  "core." + hanging,
                  "hang-" + attempt + "-" + i,
                  new Flows.ShipOrder("h" + i, "x")));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
        submit(pipeline, throwing, THROWING, "t");
        // Measure once the bad routes are in their bad state, not while they still take in their
        // messages:
        // every shipment stored and the partner holding the dispatch stage's calls, every order
        // past its first
        // failed translation.
        Await.until(
            Duration.ofSeconds(60),
            "the bad routes are in their bad state",
            () ->
                partner.requests.get() > 0
                    && NetworkFaultIT.count(store, hanging, Layer.L4, null) == HANGING
                    && NetworkFaultIT.count(store, throwing, Layer.L2, Status.RETRYING) == THROWING,
            () ->
                "partner requests " + partner.requests.get() + "; " + NetworkFaultIT.stats(store));
        return measure(pipeline, name, published, rate);
      } finally {
        partner.close();
        pipeline.stop(Duration.ofSeconds(2));
      }
    }
  }

  /**
   * Counts the layer-4 entries one route's publish stage finished, as the engine reports them: the
   * clock stops within a millisecond of the last one, without querying the database while it is
   * being measured.
   */
  private static final class PublishedCounter implements PipelineListener {
    private final RouteId route;
    private final AtomicLong published = new AtomicLong();

    PublishedCounter(String route) {
      this.route = RouteId.of(route);
    }

    @Override
    public void onStageFinished(StageFinished event) {
      if (event.route().equals(route) && event.layer() == Layer.L4) {
        published.addAndGet(event.entries() - event.failures());
      }
    }
  }

  /**
   * Submits the messages, at most {@code rate} per second (0: as fast as the route takes them), and
   * waits until all are published: messages per second, intake to Queued.
   */
  private static double measure(
      Pipeline pipeline, String route, PublishedCounter published, double rate) {
    long start = System.nanoTime();
    long deadline = start + Duration.ofSeconds(Mode.LONG ? 600 : 120).toNanos();
    // Steady load rather than one burst: at most WINDOW messages submitted and not yet published,
    // as webhook
    // traffic would keep the route busy. (A burst of thousands measured mostly how fast the store
    // path drains
    // a backlog, and swung several-fold between identical runs.)
    int submitted = 0;
    while (published.published.get() < MESSAGES && System.nanoTime() < deadline) {
      boolean due = rate == 0 || System.nanoTime() - start >= (long) (submitted / rate * 1e9);
      if (due && submitted < MESSAGES && submitted - published.published.get() < WINDOW) {
        int n = Math.min(100, MESSAGES - submitted);
        submit(pipeline, route, submitted, n, "m");
        submitted += n;
      } else {
        Await.pause(Duration.ofMillis(1));
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    // The store has the final word: every message Queued (the listener's count only stops the
    // clock).
    Await.until(
        Duration.ofSeconds(30),
        route + " published everything",
        () -> NetworkFaultIT.count(store, route, Layer.L4, Status.QUEUED) == MESSAGES,
        () -> "listener counted " + published.published.get() + "; " + NetworkFaultIT.stats(store));
    return MESSAGES / seconds;
  }

  private static void submit(Pipeline pipeline, String route, int count, String tag) {
    submit(pipeline, route, 0, count, tag);
  }

  /** Submits messages {@code from} to {@code from + count - 1}, in pages of 100. */
  private static void submit(Pipeline pipeline, String route, int from, int count, String tag) {
    List<RawMessage> batch = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      batch.add(RawMessage.json(Flows.orderJson(route + "-" + tag + i, 1), route + "-" + tag + i));
      if (batch.size() == 100) {
        pipeline.intake(route).submitAll(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      pipeline.intake(route).submitAll(batch);
    }
  }
}
