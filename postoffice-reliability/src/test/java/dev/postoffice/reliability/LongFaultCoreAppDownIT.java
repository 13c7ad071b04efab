package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.spi.EntryQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long faults, the Core App side (issue 16): the Core App's receiver is absent for longer than
 * {@code maxAttempts × ackTimeout} (timers scaled down: ackTimeout 1 s, 3 attempts, republish cap 4
 * s), then starts. Every message must end Acknowledged (none Failed meanwhile), the core handler's
 * effect (a row written in the receipt log's transaction, the default way to receive) exist once
 * per message, nothing be dead-lettered, and the publishes per message stay within the documented
 * bound: {@code 2 + log2(cap / ackTimeout) + elapsed / cap}, elapsed being the time from its first
 * publish to its acknowledgement.
 *
 * <p>Short mode: 200 messages, Core App down 15 s; long mode: 1,000 messages, 60 s.
 */
@DisplayName("Long fault: the Core App down for longer than max attempts × ack timeout")
class LongFaultCoreAppDownIT {
  private static final int MESSAGES = Mode.LONG ? 1_000 : 200;
  private static final Duration FAULT = Duration.ofSeconds(Mode.LONG ? 60 : 15);
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(1);
  private static final int MAX_ATTEMPTS = 3;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(4);
  private static final String ROUTE = "orders";

  @RegisterExtension
  static final SuiteFixture suite =
      SuiteFixture.of("lfcore", "long-core-down", 8, Flows.ORDERS_QUEUE);

  @BeforeAll
  static void setUp() {
    suite.store().migrate();
    try (java.sql.Connection c = suite.db().getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + suite.tables() + "effect (order_id VARCHAR(100) NOT NULL)");
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** The core's effects, counted in its database: orders with more than one row. */
  private static long duplicateEffects() {
    try (java.sql.Connection c = suite.db().getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT COUNT(*) FROM (SELECT order_id FROM "
                    + suite.tables()
                    + "effect"
                    + " GROUP BY order_id HAVING COUNT(*) > 1) d")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName(
      "every message ends Acknowledged once the Core App is back, handled once, none dead-lettered,"
          + " republished within the documented bound")
  void coreAppDown() {
    JdbcStatusStore store = suite.opened(suite.store());
    RabbitTransport postOfficeRabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), Services.RABBIT_PORT, "lfcore-postoffice")
                    .build()));
    RouteSettings settings =
        Flows.settings(Duration.ofSeconds(5))
            .ackTimeout(ACK_TIMEOUT)
            .retry(
                RetrySettings.ofDefaults()
                    .withMaxAttempts(MAX_ATTEMPTS)
                    .withBackoff(Duration.ofMillis(100), MAX_BACKOFF))
            .build();
    Pipeline pipeline =
        suite.opened(
            PostOffice.builder()
                .store(store)
                .transport(postOfficeRabbit)
                .route(Flows.orders(ROUTE, Flows.ORDERS_QUEUE, settings))
                .build()
                .start());

    long faultStart = System.nanoTime();
    for (int i = 0; i < MESSAGES; i++) {
      pipeline.intake(ROUTE).submit(RawMessage.json(Flows.orderJson("o-" + i, 1), "d-" + i));
    }
    Await.until(
        Duration.ofSeconds(30),
        "every message published once",
        () ->
            l4(store).size() == MESSAGES
                && l4(store).stream()
                    .allMatch(e -> e.attempts() >= 1 && e.status() != Status.JUST_IN),
        () -> NetworkFaultIT.stats(store));
    Await.pause(FAULT.minus(Duration.ofNanos(System.nanoTime() - faultStart)));
    List<Entry> beforeReturn = l4(store);
    assertThat(beforeReturn)
        .as("entries given up while the Core App was down")
        .noneMatch(e -> e.status() == Status.FAILED || e.status() == Status.REJECTED);
    assertThat(beforeReturn.stream().mapToInt(Entry::attempts).max().orElse(0))
        .as("published past maxAttempts: the republisher did not give up")
        .isGreaterThan(MAX_ATTEMPTS);
    Duration down = Duration.ofNanos(System.nanoTime() - faultStart);

    Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
    RabbitTransport coreRabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), Services.RABBIT_PORT, "lfcore-core").build()));
    long back = System.nanoTime();
    suite.opened(
        CoreAppReceiver.builder(coreRabbit, suite.receipts(), Flows.OrderPlaced.class)
            .from(Flows.ORDERS_QUEUE)
            .name("orders")
            // The default way to receive: the core's effect (a row) commits with the receipt.
            .handler(
                java.sql.Connection.class,
                (order, context, connection) -> {
                  try (PreparedStatement ps =
                      connection.prepareStatement(
                          "INSERT INTO " + suite.tables() + "effect VALUES (?)")) {
                    ps.setString(1, order.orderId());
                    ps.executeUpdate();
                  }
                  effects
                      .computeIfAbsent(order.orderId(), k -> new AtomicInteger())
                      .incrementAndGet();
                })
            .build()
            .start());
    Duration recovered =
        Await.until(
            Duration.ofSeconds(60),
            "every message Acknowledged",
            () -> NetworkFaultIT.count(store, ROUTE, Layer.L4, Status.ACKNOWLEDGED) == MESSAGES,
            () -> "handled=" + effects.size() + ", " + NetworkFaultIT.stats(store));

    List<Entry> after = l4(store);
    int lost =
        MESSAGES - (int) after.stream().filter(e -> e.status() == Status.ACKNOWLEDGED).count();
    long duplicates = duplicateEffects();
    int maxPublishes = after.stream().mapToInt(Entry::attempts).max().orElse(0);
    long totalPublishes = after.stream().mapToInt(Entry::attempts).sum();
    int overBound = 0;
    double log2 =
        Math.log(
                (double) Math.max(ACK_TIMEOUT.toMillis(), MAX_BACKOFF.toMillis())
                    / ACK_TIMEOUT.toMillis())
            / Math.log(2);
    for (Entry e : after) {
      List<HistoryRecord> history = store.history(e.id());
      Duration elapsed =
          Duration.between(
              history.stream().filter(h -> h.to() == Status.QUEUED).findFirst().orElseThrow().at(),
              history.get(history.size() - 1).at());
      double bound = 2 + log2 + (double) elapsed.toMillis() / MAX_BACKOFF.toMillis();
      if (e.attempts() > bound) {
        overBound++;
      }
    }
    long dlq = deadLetters();

    Figures.record(
        "long-faults/core-app-down",
        "messages="
            + MESSAGES
            + " fault="
            + down.toMillis()
            + "ms lost="
            + lost
            + " duplicateCoreEffects="
            + duplicates
            + " duplicatePartnerCalls=0 dlq="
            + dlq
            + " recovered="
            + recovered.toMillis()
            + "ms publishes="
            + totalPublishes
            + " maxPublishesPerMessage="
            + maxPublishes
            + " copiesAbsorbed="
            + (totalPublishes - MESSAGES)
            + " sinceBack="
            + Duration.ofNanos(System.nanoTime() - back).toMillis()
            + "ms");
    assertThat(lost).as("messages not Acknowledged").isZero();
    assertThat(effects).as("messages the core handler saw").hasSize(MESSAGES);
    assertThat(effects.values())
        .as("handler runs per message (none rolled back here)")
        .allMatch(n -> n.get() == 1);
    assertThat(duplicates).as("messages whose effect happened more than once").isZero();
    assertThat(dlq).as("dead letters").isZero();
    assertThat(overBound).as("entries published more often than the documented bound").isZero();
    assertThat(after)
        .allSatisfy(
            e ->
                assertThat(store.history(e.id()))
                    .extracting(HistoryRecord::to)
                    .doesNotContain(Status.FAILED));
  }

  private static List<Entry> l4(JdbcStatusStore store) {
    return store.query(
        new EntryQuery(RouteId.of(ROUTE), Layer.L4, Set.of(), null, MESSAGES + 10, false));
  }

  private static long deadLetters() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(Services.HOST);
    f.setPort(Services.RABBIT_PORT);
    try (Connection c = f.newConnection("lfcore-dlq-check");
        Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(
              suite.queues()
                  + Flows.ORDERS_QUEUE
                  + RabbitTransportSettings.DEFAULT_DEAD_LETTER_SUFFIX)
          .getMessageCount();
    } catch (Exception e) {
      throw new AssertionError("cannot read the dead-letter queue's depth", e);
    }
  }
}
