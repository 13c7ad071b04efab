package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Effectively once at the Core App (issue 16, defect 13): with {@link JdbcReceiptLog} the receiver
 * runs the core's handler inside the transaction that marks the receipt, after claiming the message
 * id. Each database runs these cases through a subclass.
 */
abstract class TransactionalReceiveCases {
  record Line(String sku) {}

  private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");
  private TestDatabase db;
  private JdbcReceiptLog receipts;
  private final InMemoryTransport transport = InMemoryTransport.create();

  /**
   * @return the database under test, for this test
   */
  abstract TestDatabase database();

  @BeforeEach
  void setUp() throws SQLException {
    db = database();
    receipts = JdbcReceiptLog.builder(db.dataSource).tablePrefix(db.prefix).build();
    receipts.migrate();
    try (Connection c = db.dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + effects() + " (message_id VARCHAR(100) NOT NULL)");
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    transport.close();
    try (Connection c = db.dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS " + effects());
    }
    db.close();
  }

  private String effects() {
    return db.prefix + "effect";
  }

  /** The core's effect: one row per run, written through the given transaction. */
  private void writeEffect(Connection transaction, String messageId) throws SQLException {
    try (PreparedStatement ps =
        transaction.prepareStatement("INSERT INTO " + effects() + " VALUES (?)")) {
      ps.setString(1, messageId);
      ps.executeUpdate();
    }
  }

  private int effectsOf(String messageId) throws SQLException {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM " + effects() + " WHERE message_id = ?")) {
      ps.setString(1, messageId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @Test
  @DisplayName(
      "a handler that wrote its effect and died before the commit leaves neither effect nor mark; on"
          + " redelivery the effect happens exactly once")
  void diesBeforeCommit() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    transport.declare("core.lines");
    transport.declare("postoffice-acks");
    CoreAppReceiver<Line> receiver =
        CoreAppReceiver.builder(transport, receipts, Line.class)
            .from("core.lines")
            .handler(
                Connection.class,
                (line, context, connection) -> {
                  writeEffect(connection, context.messageId());
                  if (runs.incrementAndGet() == 1) {
                    throw new IllegalStateException(
                        "the Core App process dies here, before the commit");
                  }
                })
            .build()
            .start();
    try {
      transport
          .publish(
              "core.lines",
              new OutboundMessage(
                  "m-1",
                  Map.of(),
                  "{\"sku\":\"a\"}".getBytes(StandardCharsets.UTF_8),
                  "application/json"))
          .join();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> transport.queued("postoffice-acks") == 1);
      // And a republished copy later: absorbed by the log, no third run.
      transport
          .publish(
              "core.lines",
              new OutboundMessage(
                  "m-1",
                  Map.of(),
                  "{\"sku\":\"a\"}".getBytes(StandardCharsets.UTF_8),
                  "application/json"))
          .join();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> transport.queued("postoffice-acks") == 2);
    } finally {
      receiver.close();
    }

    assertThat(runs).as("the handler ran twice: the first run was rolled back").hasValue(2);
    assertThat(effectsOf("m-1")).as("effects of m-1").isEqualTo(1);
    assertThat(receipts.isHandled("core.lines", "m-1")).isTrue();
    assertThat(transport.queued(transport.deadLetterDestination("core.lines"))).isZero();
  }

  @Test
  @DisplayName("the work's writes and the mark commit together; work that throws leaves neither")
  void workAndMarkTogether() throws Exception {
    String consumer = "c-" + db.prefix;
    try {
      receipts.handleOnce(
          consumer,
          "m-1",
          AT,
          tx -> {
            writeEffect((Connection) tx, "m-1");
            throw new IllegalStateException("boom");
          });
    } catch (IllegalStateException e) {
      assertThat(e).hasMessage("boom");
    }
    assertThat(effectsOf("m-1")).isZero();
    assertThat(receipts.isHandled(consumer, "m-1")).isFalse();

    assertThat(receipts.handleOnce(consumer, "m-1", AT, tx -> writeEffect((Connection) tx, "m-1")))
        .isTrue();
    assertThat(receipts.handleOnce(consumer, "m-1", AT, tx -> writeEffect((Connection) tx, "m-1")))
        .isFalse();
    assertThat(effectsOf("m-1")).isEqualTo(1);
    assertThat(receipts.isHandled(consumer, "m-1")).isTrue();
  }

  @Test
  @DisplayName(
      "two receivers racing on the same message id run the handler once: the second waits for the"
          + " first's claim, then skips")
  void twoReceiversRace() throws Exception {
    String consumer = "c-" + db.prefix;
    CountDownLatch firstInWork = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      Future<Boolean> first =
          threads.submit(
              () ->
                  receipts.handleOnce(
                      consumer,
                      "m-1",
                      AT,
                      tx -> {
                        runs.incrementAndGet();
                        writeEffect((Connection) tx, "m-1");
                        firstInWork.countDown();
                        release.await(20, TimeUnit.SECONDS);
                      }));
      assertThat(firstInWork.await(20, TimeUnit.SECONDS)).isTrue();
      Future<Boolean> second =
          threads.submit(
              () ->
                  receipts.handleOnce(
                      consumer,
                      "m-1",
                      AT,
                      tx -> {
                        runs.incrementAndGet();
                        writeEffect((Connection) tx, "m-1");
                      }));
      // The second claim waits on the first's uncommitted receipt row (H2: fails and is retried)
      // until it ends.
      // The second caller stays waiting while the first holds the claim (the outcome does not
      // depend on how long).
      Awaitility.await("the second caller waits while the first holds the claim")
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !second.isDone());
      release.countDown();

      assertThat(first.get(20, TimeUnit.SECONDS)).isTrue();
      assertThat(second.get(20, TimeUnit.SECONDS)).isFalse();
    } finally {
      release.countDown();
      threads.shutdownNow();
    }
    assertThat(runs).hasValue(1);
    assertThat(effectsOf("m-1")).isEqualTo(1);
  }
}
