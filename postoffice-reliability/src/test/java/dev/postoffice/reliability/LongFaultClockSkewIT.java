package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
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
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.spi.StatusCount;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long faults, clock skew (issue 16, defect 10): two nodes on one PostgreSQL schema and one
 * RabbitMQ vhost whose clocks differ by half a lease, with a partner whose every call takes a third
 * of a lease, so a batch of calls outlasts its lease. Each node is a pipeline of its own in this
 * JVM, with its own store instance, pool, broker connection and injected clock ({@code
 * Clock.offset}). Judged on each node's clock, the node ahead would see the other's leases expire
 * half a lease early and send the same requests again; judged on the database's clock, with each
 * lease confirmed and extended before each call, every idempotency key reaches the partner once.
 * Orders flow upstream at the same time, through both nodes, to a Core App receiver.
 */
@DisplayName("Long faults: two nodes whose clocks differ by half a lease")
class LongFaultClockSkewIT {
  private static final Duration LEASE = Duration.ofSeconds(3);
  private static final Duration SKEW = LEASE.dividedBy(2);
  private static final Duration CALL = LEASE.dividedBy(3);
  private static final int SHIPMENTS = Mode.LONG ? 120 : 36;
  private static final int ORDERS = Mode.LONG ? 1000 : 200;
  private static final Duration MAX_SETTLE = Duration.ofSeconds(Mode.LONG ? 240 : 75);

  @RegisterExtension
  static final SuiteFixture suite =
      SuiteFixture.of("skew", "skew-direct", 4, Flows.ORDERS_QUEUE, Flows.SHIPMENTS_QUEUE);

  @BeforeAll
  static void setUp() {
    suite.store().migrate();
  }

  /** One node: its own pool, store, broker connection and clock. */
  /**
   * Every partner call: when, by which node, which key and attempt; printed for the keys called
   * twice.
   */
  private static final List<String> CALLS = new CopyOnWriteArrayList<>();

  private static Pipeline node(String id, Clock clock, RouteSettings settings, Dispatcher shared) {
    Dispatcher partner =
        (request, context) -> {
          CALLS.add(
              System.currentTimeMillis()
                  + " "
                  + id
                  + " "
                  + context.idempotencyKey()
                  + " attempt "
                  + context.attempt()
                  + " "
                  + Thread.currentThread().getName());
          return shared.dispatch(request, context);
        };
    HikariDataSource pool =
        suite.opened(Services.postgres(Services.POSTGRES_PORT, 6, "skew-" + id));
    JdbcStatusStore store = JdbcStatusStore.builder(pool).tablePrefix(suite.tables()).build();
    RabbitTransport rabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), Services.RABBIT_PORT, "skew-" + id).build()));
    return suite.opened(
        PostOffice.builder()
            .nodeId(id)
            .clock(clock)
            .store(store)
            .transport(rabbit)
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
  }

  @Test
  @DisplayName(
      "one partner call per idempotency key and every order handled once, clocks half a lease apart")
  void skewedClocks() {
    Map<String, AtomicInteger> callsByKey = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    Dispatcher partner =
        (request, context) -> {
          callsByKey
              .computeIfAbsent(context.idempotencyKey(), k -> new AtomicInteger())
              .incrementAndGet();
          Await.pause(CALL); // a slow partner: a batch of calls outlasts its lease
          return new DispatchResult(201, "{}");
        };
    RouteSettings settings = Flows.settings(LEASE).batchSize(6).build();
    Pipeline behind = node("node-behind", Clock.systemUTC(), settings, partner);
    Pipeline ahead = node("node-ahead", Clock.offset(Clock.systemUTC(), SKEW), settings, partner);
    RabbitTransport coreRabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), Services.RABBIT_PORT, "skew-core").build()));
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

    long started = System.nanoTime();
    for (int i = 0; i < Math.max(SHIPMENTS, ORDERS); i++) {
      if (i < SHIPMENTS) {
        sender
            .send(Flows.SHIPMENTS_QUEUE, "ship-" + i, new Flows.ShipOrder("o-" + i, "1 Main St"))
            .join();
      }
      if (i < ORDERS) {
        (i % 2 == 0 ? behind : ahead)
            .intake("orders")
            .submit(RawMessage.json(Flows.orderJson("o-" + i, 1), "d-" + i));
      }
    }
    Duration fed = Duration.ofNanos(System.nanoTime() - started);
    JdbcStatusStore view = suite.store();
    Duration settled =
        Await.until(
            MAX_SETTLE,
            "every shipment Dispatched and every order Acknowledged",
            () ->
                count(view, "shipments", Layer.L1, Status.DISPATCHED) == SHIPMENTS
                    && count(view, "orders", Layer.L4, Status.ACKNOWLEDGED) == ORDERS
                    && handled.size() == ORDERS,
            () ->
                "partner keys="
                    + callsByKey.size()
                    + ", handled="
                    + handled.size()
                    + ", "
                    + stats(view));

    long lost =
        (SHIPMENTS - count(view, "shipments", Layer.L1, Status.DISPATCHED))
            + (ORDERS - count(view, "orders", Layer.L4, Status.ACKNOWLEDGED));
    long duplicateCoreEffects = handled.values().stream().mapToLong(n -> n.get() - 1L).sum();
    long duplicatePartnerCalls = callsByKey.values().stream().mapToLong(n -> n.get() - 1L).sum();
    long dlq = deadLetters(Flows.SHIPMENTS_QUEUE) + deadLetters(Flows.ORDERS_QUEUE);
    Figures.record(
        "long-faults/clock-skew",
        "messages="
            + (SHIPMENTS + ORDERS)
            + " fault="
            + SKEW.toMillis()
            + "ms lost="
            + lost
            + " duplicateCoreEffects="
            + duplicateCoreEffects
            + " duplicatePartnerCalls="
            + duplicatePartnerCalls
            + " dlq="
            + dlq
            + " recovered="
            + settled.toMillis()
            + "ms (lease "
            + LEASE.toMillis()
            + " ms, partner call "
            + CALL.toMillis()
            + " ms, fed in "
            + fed.toMillis()
            + " ms)");

    callsByKey.forEach(
        (k, n) -> {
          if (n.get() > 1) {
            CALLS.stream()
                .filter(c -> c.contains(k))
                .forEach(c -> System.out.println("called twice: " + c));
          }
        });
    assertThat(lost).as("lost").isZero();
    assertThat(duplicateCoreEffects).as("duplicate core effects").isZero();
    assertThat(callsByKey).as("idempotency keys the partner got").hasSize(SHIPMENTS);
    assertThat(
            callsByKey.entrySet().stream()
                .filter(e -> e.getValue().get() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())))
        .as("idempotency keys the partner got more than once")
        .isEmpty();
    assertThat(dlq).as("dead-lettered").isZero();
  }

  private static long count(JdbcStatusStore store, String route, Layer layer, Status status) {
    RouteId id = RouteId.of(route);
    return store.countByStatus().stream()
        .filter(c -> c.route().equals(id) && c.layer() == layer && c.status() == status)
        .mapToLong(StatusCount::count)
        .sum();
  }

  private static String stats(JdbcStatusStore store) {
    return store.countByStatus().stream()
        .map(c -> c.route().value() + "/" + c.layer() + "/" + c.status() + "=" + c.count())
        .collect(Collectors.joining(", "));
  }

  /** Messages in a destination's dead-letter queue (0 if it was never declared). */
  private static long deadLetters(String destination) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(Services.HOST);
    f.setPort(Services.RABBIT_PORT);
    try (com.rabbitmq.client.Connection c = f.newConnection("skew-dlq");
        Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(
              suite.queues() + destination + RabbitTransportSettings.DEFAULT_DEAD_LETTER_SUFFIX)
          .getMessageCount();
    } catch (Exception e) {
      return 0;
    }
  }
}
