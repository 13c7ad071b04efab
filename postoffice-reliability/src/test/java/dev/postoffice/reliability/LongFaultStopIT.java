package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.FaultProxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Long faults, a database that stops answering: every byte to PostgreSQL black-holed (no reset, no
 * answer) with the driver's default {@code socketTimeout} of 0, so store calls in flight never
 * return. Before the fix, {@code stop(timeout)} waited for them for ever; now it returns by its
 * deadline and says what it abandoned.
 */
@DisplayName("Long faults: stop with the database black-holed")
class LongFaultStopIT {
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);
  private static FaultProxy proxy;
  private static HikariDataSource direct;
  private static HikariDataSource proxied;
  private static String tables;
  private static String queues;

  @BeforeAll
  static void setUp() throws Exception {
    Services.assumeReachable();
    proxy = FaultProxy.to(Services.HOST, Services.POSTGRES_PORT);
    direct = Services.postgres(Services.POSTGRES_PORT, 2, "long-faults-stop-direct");
    HikariConfig config = new HikariConfig();
    // The driver's defaults, as a new user has them: no socketTimeout, so a read waits as long as
    // it takes.
    config.setJdbcUrl("jdbc:postgresql://" + Services.HOST + ":" + proxy.port() + "/test");
    config.setUsername("postgres");
    config.setMaximumPoolSize(6);
    config.setPoolName("long-faults-stop-proxied");
    proxied = new HikariDataSource(config);
    tables = Services.tablePrefix("lfstop");
    queues = Services.queuePrefix("lfstop");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (proxy != null) {
      proxy.heal();
      proxied.close();
      proxy.close();
      Services.dropTables(direct, tables);
      direct.close();
      Services.deleteQueues(queues, List.of(Flows.ORDERS_QUEUE));
    }
  }

  @Test
  @DisplayName("stop(timeout) returns within timeout + 1 s while every store call hangs")
  void stopIsBoundedWhileTheDatabaseHangs() throws Exception {
    JdbcStatusStore store = JdbcStatusStore.builder(proxied).tablePrefix(tables).build();
    store.migrate();
    RabbitTransport rabbit =
        RabbitTransport.create(
            Services.rabbit(queues, Services.RABBIT_PORT, "long-faults-stop").build());
    Pipeline pipeline =
        PostOffice.builder()
            .nodeId("lf-stop")
            .store(store)
            .transport(rabbit)
            .route(
                Flows.orders(
                    "lf-stop-orders",
                    Flows.ORDERS_QUEUE,
                    Flows.settings(Duration.ofSeconds(5)).build()))
            .build()
            .start();
    AtomicBoolean feeding = new AtomicBoolean(true);
    AtomicInteger submitted = new AtomicInteger();
    Thread feed =
        new Thread(
            () -> {
              while (feeding.get()) {
                try {
                  pipeline
                      .intake("lf-stop-orders")
                      .submit(RawMessage.json(Flows.orderJson("o-" + submitted.get(), 1), null));
                  submitted.incrementAndGet();
                } catch (RuntimeException e) {
                  Await.pause(
                      Duration.ofMillis(
                          50)); // the store is down: a host would answer 503 and try later
                }
              }
            },
            "lf-stop-feed");
    feed.setDaemon(true);
    feed.start();
    try {
      Await.until(
          Duration.ofSeconds(30),
          "traffic flowing",
          () -> submitted.get() >= 200,
          () -> "submitted " + submitted.get());
      proxy.blackHole();
      Await.pause(Duration.ofSeconds(2)); // every worker and the feed now wait inside a store call

      long started = System.nanoTime();
      boolean clean = pipeline.stop(STOP_TIMEOUT);
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(took)
          .as("stop(" + STOP_TIMEOUT + ") took")
          .isLessThan(STOP_TIMEOUT.plusSeconds(1));
      assertThat(clean).as("a stop that abandoned calls says so").isFalse();

      // Nothing the stopped node accepted is lost: a new node takes over once its leases expire.
      feeding.set(false);
      proxy.heal();
      long healed = System.nanoTime();
      feed.join(30_000); // its call in flight completes now: it counts if it was accepted
      int accepted = submitted.get();
      Pipeline successor =
          PostOffice.builder()
              .nodeId("lf-stop-successor")
              .store(store)
              .transport(rabbit)
              .route(
                  Flows.orders(
                      "lf-stop-orders",
                      Flows.ORDERS_QUEUE,
                      Flows.settings(Duration.ofSeconds(5)).build()))
              .build()
              .start();
      try {
        Await.until(
            Duration.ofSeconds(60),
            "every accepted order published",
            () -> published(successor) >= accepted,
            () -> "published " + published(successor) + " of " + accepted);
        Figures.record(
            "long-faults/stop-black-holed",
            "messages="
                + accepted
                + " fault=black hole (stop "
                + STOP_TIMEOUT.toMillis()
                + "ms, returned in "
                + took.toMillis()
                + "ms, clean="
                + clean
                + ") lost="
                + Math.max(0, accepted - published(successor))
                + " duplicateCoreEffects=0 (no Core App here)"
                + " duplicatePartnerCalls=0 (no partner here) dlq=0 recovered="
                + Duration.ofNanos(System.nanoTime() - healed).toMillis()
                + "ms (successor published all)");
      } finally {
        successor.close();
      }
    } finally {
      feeding.set(false);
      proxy.heal();
      rabbit.close();
    }
  }

  /**
   * @return the orders' L4 entries the broker has confirmed (Queued; Acknowledged needs a Core App)
   */
  private static long published(Pipeline pipeline) {
    return pipeline.operations().stats().stream()
        .filter(
            c ->
                c.route().value().equals("lf-stop-orders")
                    && c.layer() == Layer.L4
                    && (c.status() == Status.QUEUED || c.status() == Status.ACKNOWLEDGED))
        .mapToLong(StatusCount::count)
        .sum();
  }
}
