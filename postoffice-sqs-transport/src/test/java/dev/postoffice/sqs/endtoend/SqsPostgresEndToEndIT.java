package dev.postoffice.sqs.endtoend;

import static dev.postoffice.itsupport.EndToEnd.await;
import static dev.postoffice.itsupport.EndToEnd.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.coreapp.CoreMessageHandler;
import dev.postoffice.itsupport.CountingTransport;
import dev.postoffice.itsupport.EndToEnd;
import dev.postoffice.itsupport.EndToEnd.OrderPlaced;
import dev.postoffice.itsupport.EndToEnd.Partner;
import dev.postoffice.itsupport.EndToEndDatabase;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.sqs.SqsTransport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline with its real parts: the JDBC store on PostgreSQL, SQS (an embedded ElasticMQ)
 * as the transport, the Core App's receiver and sender on their own clients, and the engine on its
 * own threads.
 */
@DisplayName("PostOffice on PostgreSQL (127.0.0.1:5432) and SQS (embedded ElasticMQ), end to end")
class SqsPostgresEndToEndIT {
  private static final Duration PATIENCE = Duration.ofSeconds(45);
  private static final String ORDERS = "acme-orders";
  private static final String ORDERS_QUEUE = "core-orders";

  /** The acknowledgement queue: the default, which must be a valid SQS name. */
  private static final String ACKS = PipelineBuilder.DEFAULT_ACK_DESTINATION;

  @RegisterExtension static final EndToEndDatabase database = EndToEndDatabase.perClass(8);

  private final String prefix = ElasticMqServer.uniquePrefix();
  private final Deque<AutoCloseable> open = new ArrayDeque<>();

  @AfterEach
  void close() throws Exception {
    while (!open.isEmpty()) {
      open.pop().close();
    }
  }

  private <T extends AutoCloseable> T opened(T resource) {
    open.push(resource);
    return resource;
  }

  private SqsTransport transport() {
    return opened(SqsTransport.create(ElasticMqServer.get().settings(prefix).build()));
  }

  private Pipeline ordersPipeline(String route) {
    return opened(
        PostOffice.builder()
            .store(database.store())
            .transport(transport())
            .ackDestination(ACKS)
            .route(EndToEnd.ordersRoute(route, ORDERS_QUEUE, EndToEnd.settings().build()))
            .build()
            .start());
  }

  private static void submit(Pipeline pipeline, String route, int messages, String idPrefix) {
    List<RawMessage> batch = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      batch.add(RawMessage.json(EndToEnd.orderJson(idPrefix + i, 1 + i % 5), null));
      if (batch.size() == 100) {
        pipeline.intake(route).submitAll(batch);
        batch.clear();
      }
    }
    pipeline.intake(route).submitAll(batch);
  }

  @Test
  @DisplayName(
      "carries 500 partner messages to Acknowledged through the Core App receiver, rejecting the"
          + " malformed ones, and the core handler sees each message once")
  void upstream() throws Exception {
    Pipeline pipeline = ordersPipeline(ORDERS);
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    Map<String, String> orders = new ConcurrentHashMap<>();
    opened(
        CoreAppReceiver.builder(transport(), database.receipts(), OrderPlaced.class)
            .from(ORDERS_QUEUE)
            .ackDestination(ACKS)
            .name("orders-" + prefix)
            .handler(
                (order, context) -> {
                  handled
                      .computeIfAbsent(context.messageId(), k -> new AtomicInteger())
                      .incrementAndGet();
                  orders.put(context.messageId(), order.orderId());
                })
            .build()
            .start());

    submit(pipeline, ORDERS, 500, "o-");
    pipeline
        .intake(ORDERS)
        .submitAll(
            List.of(
                RawMessage.json("{broken", null),
                RawMessage.json("{\"quantity\":3}", null),
                RawMessage.json("[]", null)));

    await(
        PATIENCE,
        "500 entries are Acknowledged",
        () -> count(pipeline, ORDERS, Layer.L4, Status.ACKNOWLEDGED) == 500,
        pipeline.operations()::statsTable);
    assertThat(count(pipeline, ORDERS, Layer.L1, Status.REJECTED))
        .as("malformed partner messages")
        .isEqualTo(3);
    assertThat(handled).hasSize(500);
    assertThat(EndToEnd.repeated(handled))
        .as("message ids the core handler saw more than once")
        .isEmpty();
    assertThat(orders.values()).doesNotHaveDuplicates().hasSize(500);
    assertThat(pipeline.stop(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  @DisplayName(
      "dispatches what the Core App sends to the partner once per message, recording the core's"
          + " repeated sends as Duplicate")
  void downstream() throws Exception {
    String route = "shipments-to-acme";
    Partner partner = new Partner();
    Pipeline pipeline =
        opened(
            PostOffice.builder()
                .store(database.store())
                .transport(transport())
                .ackDestination(ACKS)
                .route(
                    EndToEnd.shipmentsRoute(
                        route, "core-shipments", EndToEnd.settings().build(), partner))
                .build()
                .start());

    CoreAppSender sender = CoreAppSender.create(transport());
    EndToEnd.sendShipments(sender, "core-shipments", 200, 20);

    await(
        PATIENCE,
        "200 dispatched and 20 duplicates recorded",
        () ->
            count(pipeline, route, Layer.L1, Status.DISPATCHED) == 200
                && count(pipeline, route, Layer.L4, Status.DUPLICATE) == 20,
        pipeline.operations()::statsTable);
    assertThat(partner.references()).hasSize(200);
    assertThat(EndToEnd.repeated(partner.references()))
        .as("shipments the partner received twice")
        .isEmpty();
    assertThat(EndToEnd.repeated(partner.keys()))
        .as("idempotency keys the partner received twice")
        .isEmpty();
    assertThat(count(pipeline, route, Layer.L4, Status.PROCESSED)).isEqualTo(200);
    assertThat(pipeline.stop(Duration.ofSeconds(10))).isTrue();
  }

  /**
   * The Core App's transport has a 1 s visibility timeout and no extension, so a message whose
   * consumer is stuck for longer becomes visible again and another handler thread receives it.
   */
  @Nested
  @DisplayName("with a Core App receiver stuck on one message past the visibility timeout")
  class StuckReceiver {
    private final Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
    private final AtomicReference<String> stuckId = new AtomicReference<>();
    private CountingTransport core;

    private void startReceiver(CoreMessageHandler<OrderPlaced> stuck) {
      core =
          opened(
              new CountingTransport(
                  SqsTransport.create(
                      ElasticMqServer.get()
                          .settings(prefix)
                          .visibilityTimeout(Duration.ofSeconds(1))
                          .maxVisibilityExtension(Duration.ZERO)
                          .consumerThreads(4)
                          .build())));
      opened(
          CoreAppReceiver.builder(core, database.receipts(), OrderPlaced.class)
              .from(ORDERS_QUEUE)
              .ackDestination(ACKS)
              .name("stuck-" + prefix)
              .ackTimeout(Duration.ofSeconds(20))
              .handler(
                  (order, context) -> {
                    if (order.orderId().equals("o-stuck")) {
                      stuck.handle(order, context);
                    }
                    completed
                        .computeIfAbsent(context.messageId(), k -> new AtomicInteger())
                        .incrementAndGet();
                  })
              .build()
              .start());
    }

    private int deliveries(String id) {
      AtomicInteger n = id == null ? null : core.deliveries().get(id);
      return n == null ? 0 : n.get();
    }

    private void runAndCheck(Pipeline pipeline, String route) throws InterruptedException {
      submit(pipeline, route, 50, "o-");
      pipeline.intake(route).submit(RawMessage.json(EndToEnd.orderJson("o-stuck", 1), null));
      submit(pipeline, route, 50, "p-");

      await(
          PATIENCE,
          "all 101 entries are Acknowledged",
          () -> count(pipeline, route, Layer.L4, Status.ACKNOWLEDGED) == 101,
          pipeline.operations()::statsTable);
      assertThat(deliveries(stuckId.get()))
          .as("the stuck message came back")
          .isGreaterThanOrEqualTo(2);
      assertThat(completed).hasSize(101);
      assertThat(EndToEnd.repeated(completed))
          .as("message ids whose handler completed more than once")
          .isEmpty();
      assertThat(database.receipts().isHandled("stuck-" + prefix, stuckId.get())).isTrue();
      assertThat(pipeline.stop(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    @DisplayName(
        "after its handler finished (stuck acknowledging), the message comes back, the receipt log"
            + " absorbs it, and nothing is lost")
    void stuckAfterHandling() throws Exception {
      String route = "stuck-acking";
      Pipeline pipeline = ordersPipeline(route);
      startReceiver(
          (order, context) -> {
            if (stuckId.compareAndSet(null, context.messageId())) {
              // The handler is done; its acknowledgement then stalls until the broker has delivered
              // again.
              core.holdNextPublishOf(
                  "ack-" + context.messageId(), () -> deliveries(context.messageId()) >= 2);
            }
          });
      runAndCheck(pipeline, route);
    }

    /**
     * Fails today: {@code CoreAppReceiver} checks the receipt log before the handler and marks it
     * after, so a redelivery that arrives while the first handler still runs finds no receipt and
     * runs the handler a second time. See the end-to-end notes in docs/transports.md.
     */
    @Test
    @DisplayName(
        "inside its handler, the message comes back, the late first run and the redelivery make one"
            + " effect, and nothing is lost")
    void stuckInHandler() throws Exception {
      String route = "stuck-handling";
      Pipeline pipeline = ordersPipeline(route);
      startReceiver(
          (order, context) -> {
            if (stuckId.compareAndSet(null, context.messageId())) {
              // Stuck inside the handler until the message has come back and had time to be
              // handled, then done.
              long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
              while (System.nanoTime() - deadline < 0
                  && (deliveries(context.messageId()) < 2
                      || !completed.containsKey(context.messageId()))) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
              }
            }
          });
      runAndCheck(pipeline, route);
    }
  }
}
