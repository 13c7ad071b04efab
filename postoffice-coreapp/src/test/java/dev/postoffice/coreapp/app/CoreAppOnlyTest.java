package dev.postoffice.coreapp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.postoffice.ConfigurationException;
import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.AckMessages;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.model.EntryId;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A Core App built from the Core App artifact alone (plus a test-scope transport): nothing of the
 * engine is on this module's class path, so these tests are what a Core App that depends only on
 * {@code postoffice-coreapp} gets.
 */
@DisplayName("A Core App on postoffice-coreapp alone")
class CoreAppOnlyTest {
  record OrderPlaced(String orderId, int quantity) {}

  private static final String QUEUE = "core.orders";

  private final LoopbackTransport transport = new LoopbackTransport();
  private final List<OrderPlaced> handled = new ArrayList<>();
  private CoreAppReceiver<OrderPlaced> receiver;

  @AfterEach
  void tearDown() {
    if (receiver != null) {
      receiver.close();
    }
    transport.close();
  }

  private static InboundMessage message(String id, String json) {
    return new InboundMessage(
        id,
        Map.of(Transport.HEADER_TRACE_ID, "trace-" + id),
        json.getBytes(StandardCharsets.UTF_8),
        "application/json",
        1,
        false);
  }

  private List<EntryId> acknowledged() {
    List<EntryId> ids = new ArrayList<>();
    for (InboundMessage ack : transport.published(AckMessages.DEFAULT_DESTINATION)) {
      if (!AckMessages.isRejection(ack)) {
        ids.addAll(AckMessages.read(ack));
      }
    }
    return ids;
  }

  @Test
  @DisplayName("receives, runs the handler once for a message delivered twice, acknowledges both")
  void receivesDedupsAndAcknowledges() {
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderPlaced.class)
            .from(QUEUE)
            .handler((order, context) -> handled.add(order))
            .build()
            .start();

    InboundMessage order = message("e-1", "{\"orderId\":\"A-1\",\"quantity\":2}");
    assertThat(transport.deliver(QUEUE, List.of(order))).containsExactly(Disposition.ack());
    // The broker delivers it again (PostOffice republished it, or the broker's ack was lost).
    assertThat(transport.deliver(QUEUE, List.of(order))).containsExactly(Disposition.ack());

    assertThat(handled).containsExactly(new OrderPlaced("A-1", 2));
    assertThat(acknowledged())
        .as("PostOffice hears of both deliveries, so its entry ends Acknowledged")
        .containsExactly(EntryId.of("e-1"), EntryId.of("e-1"));
  }

  @Test
  @DisplayName("refuses a name longer than the receipt log's key (100 characters) when it builds")
  void nameFitsTheReceiptLog() {
    String longQueue = "q".repeat(101);
    assertThatThrownBy(
            () ->
                CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderPlaced.class)
                    .from(longQueue)
                    .handler((order, context) -> handled.add(order))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 100 characters")
        .hasMessageContaining("name(...)");
  }

  @Test
  @DisplayName("with the JDBC receipt log, dedups across a restart of the receiver")
  void jdbcReceiptLogDedupsAcrossRestarts() {
    JdbcDataSource db = new JdbcDataSource();
    db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    JdbcReceiptLog receipts = JdbcReceiptLog.builder(db).build();
    receipts.migrate();
    InboundMessage order = message("e-2", "{\"orderId\":\"B-7\",\"quantity\":1}");

    for (int run = 0; run < 2; run++) {
      receiver =
          CoreAppReceiver.builder(transport, receipts, OrderPlaced.class)
              .from(QUEUE)
              .handler(
                  Connection.class,
                  (placed, context, connection) -> {
                    try (PreparedStatement ps = connection.prepareStatement("SELECT 1")) {
                      ps.execute(); // the handler's own writes would go through this connection
                    }
                    handled.add(placed);
                  })
              .build()
              .start();
      assertThat(transport.deliver(QUEUE, List.of(order))).containsExactly(Disposition.ack());
      receiver.close();
      receiver = null;
    }

    assertThat(handled).containsExactly(new OrderPlaced("B-7", 1));
    assertThat(acknowledged()).containsExactly(EntryId.of("e-2"), EntryId.of("e-2"));
  }

  @Test
  @DisplayName("start() fails, naming the table and the fix, when the JDBC log's table is missing")
  void startFailsOnAMissingReceiptTable() {
    JdbcDataSource db = new JdbcDataSource();
    db.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    JdbcReceiptLog.builder(db).tablePrefix("orders_").build().migrate();
    // The Core App's log is set up with another prefix than the one its table was migrated with.
    JdbcReceiptLog wrongPrefix = JdbcReceiptLog.builder(db).build();
    receiver =
        CoreAppReceiver.builder(transport, wrongPrefix, OrderPlaced.class)
            .from(QUEUE)
            .handler((order, context) -> handled.add(order))
            .build();

    assertThatThrownBy(receiver::start)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("the receipt table 'po_receipt' does not exist")
        .hasMessageContaining("call JdbcReceiptLog.migrate()")
        .hasMessageContaining("the table prefix must match");
    assertThatThrownBy(() -> transport.deliver(QUEUE, List.of(message("e-3", "{}"))))
        .as("nothing consumes the queue")
        .hasMessageContaining("nobody consumes " + QUEUE);
  }

  @Test
  @DisplayName("logs each message it dead-letters at WARN, with the message id and the reason")
  void deadLetteringIsLoggedAtWarn() {
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderPlaced.class)
            .from(QUEUE)
            .handler(
                (order, context) -> {
                  throw new RejectedInputException("quantity must be positive");
                })
            .build()
            .start();
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    Logger receiverLog = (Logger) LoggerFactory.getLogger(CoreAppReceiver.class);
    receiverLog.addAppender(logged);
    List<Disposition> answers;
    try {
      answers =
          transport.deliver(QUEUE, List.of(message("e-4", "{\"orderId\":\"C-1\",\"quantity\":0}")));
    } finally {
      receiverLog.detachAppender(logged);
    }

    assertThat(answers).hasSize(1);
    assertThat(answers.get(0).kind()).isEqualTo(Disposition.Kind.DEAD_LETTER);
    assertThat(transport.published(transport.deadLetterDestination(QUEUE)))
        .extracting(InboundMessage::messageId)
        .containsExactly("e-4");
    assertThat(logged.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("e-4")
                    .contains("dead-lettered")
                    .contains("quantity must be positive"));
  }
}
