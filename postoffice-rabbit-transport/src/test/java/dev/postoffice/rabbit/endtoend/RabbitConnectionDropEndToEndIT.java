package dev.postoffice.rabbit.endtoend;

import static dev.postoffice.itsupport.EndToEnd.await;
import static dev.postoffice.itsupport.EndToEnd.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.itsupport.CountingTransport;
import dev.postoffice.itsupport.EndToEnd;
import dev.postoffice.itsupport.EndToEnd.OrderPlaced;
import dev.postoffice.itsupport.EndToEndDatabase;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.testkit.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cuts every broker connection, PostOffice's and the Core App's, twice while upstream messages
 * flow, through a TCP proxy between the transports and the broker.
 */
@DisplayName("PostOffice on PostgreSQL and RabbitMQ, with the broker connections cut mid-stream")
class RabbitConnectionDropEndToEndIT {
  private static final int MESSAGES = 2000;
  private static final String ROUTE = "acme-orders";
  private static final String QUEUE = "core.orders";

  private final String prefix = Rabbit.uniquePrefix();
  private EndToEndDatabase database;

  @BeforeEach
  void needsServices() {
    EndToEnd.assumePostgres();
    Rabbit.assumeReachable();
    database = EndToEndDatabase.create(8);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (database != null) {
      database.close();
      Rabbit.cleanUp(prefix, List.of(QUEUE, PipelineBuilder.DEFAULT_ACK_DESTINATION));
    }
  }

  @Test
  @DisplayName(
      "loses no message: every entry is Acknowledged, and the core handler runs once per message id"
          + " although the broker delivers some again")
  void noLossNoDoubleEffect() throws Exception {
    JdbcStatusStore store = database.store();
    JdbcReceiptLog receipts = database.receipts();
    RouteSettings settings =
        EndToEnd.settings()
            .retry(
                RetrySettings.ofDefaults()
                    .withMaxAttempts(100)
                    .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
            .confirmTimeout(Duration.ofSeconds(5))
            .ackTimeout(Duration.ofSeconds(8))
            .build();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    try (FaultProxy proxy = FaultProxy.to(Rabbit.HOST, Rabbit.PORT);
        RabbitTransport postOffice =
            RabbitTransport.create(Rabbit.settings(prefix, proxy.port()).build());
        CountingTransport core =
            new CountingTransport(
                RabbitTransport.create(Rabbit.settings(prefix, proxy.port()).build()));
        Pipeline pipeline =
            PostOffice.builder()
                .store(store)
                .transport(postOffice)
                .route(EndToEnd.ordersRoute(ROUTE, QUEUE, settings))
                .build()
                .start();
        CoreAppReceiver<OrderPlaced> receiver =
            CoreAppReceiver.builder(core, receipts, OrderPlaced.class)
                .from(QUEUE)
                .name("orders-" + prefix)
                .ackTimeout(Duration.ofSeconds(5))
                .handler(
                    (order, context) -> {
                      java.util.concurrent.locks.LockSupport.parkNanos(
                          200_000); // a little work: deliveries pile up
                      handled
                          .computeIfAbsent(context.messageId(), k -> new AtomicInteger())
                          .incrementAndGet();
                    })
                .build()
                .start()) {
      List<RawMessage> batch = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        batch.add(RawMessage.json(EndToEnd.orderJson("o-" + i, 1), null));
        if (batch.size() == 100) {
          pipeline.intake(ROUTE).submitAll(batch);
          batch.clear();
        }
      }
      await(
          Duration.ofSeconds(30),
          "the core has handled a fifth",
          () -> handled.size() >= MESSAGES / 5,
          pipeline.operations()::statsTable);
      proxy.cut();
      int handledAtFirstCut = handled.size();
      await(
          Duration.ofSeconds(30),
          "the core handles more after the first cut",
          () -> handled.size() >= handledAtFirstCut + MESSAGES / 5,
          pipeline.operations()::statsTable);
      proxy.cut();
      int handledAtSecondCut = handled.size();

      await(
          Duration.ofSeconds(60),
          "every entry is Acknowledged",
          () -> count(pipeline, ROUTE, Layer.L4, Status.ACKNOWLEDGED) == MESSAGES,
          pipeline.operations()::statsTable);
      System.out.printf(
          "RabbitConnectionDropEndToEndIT: %d messages, links cut at %d and %d handled,"
              + " %d proxy connections, %d deliveries of %d message ids (%d redeliveries absorbed by the"
              + " receipt log)%n",
          MESSAGES,
          handledAtFirstCut,
          handledAtSecondCut,
          proxy.accepted(),
          core.deliveries().values().stream().mapToInt(AtomicInteger::get).sum(),
          core.deliveries().size(),
          core.redeliveries());
      assertThat(proxy.accepted()).as("the transports reconnected").isGreaterThan(4);
      assertThat(handled).hasSize(MESSAGES);
      assertThat(EndToEnd.repeated(handled))
          .as("message ids the core handler ran more than once")
          .isEmpty();
      assertThat(core.deliveries().keySet()).isEqualTo(handled.keySet());
      assertThat(pipeline.operations().failed(ROUTE, 10)).isEmpty();
    }
  }
}
