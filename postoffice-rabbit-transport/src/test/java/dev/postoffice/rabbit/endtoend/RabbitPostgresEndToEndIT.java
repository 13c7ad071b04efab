package dev.postoffice.rabbit.endtoend;

import static dev.postoffice.itsupport.EndToEnd.await;
import static dev.postoffice.itsupport.EndToEnd.count;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.itsupport.EndToEnd;
import dev.postoffice.itsupport.EndToEnd.OrderPlaced;
import dev.postoffice.itsupport.EndToEnd.Partner;
import dev.postoffice.itsupport.EndToEnd.ShipOrder;
import dev.postoffice.itsupport.EndToEndDatabase;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole pipeline with its real parts: the JDBC store on PostgreSQL, RabbitMQ as the transport,
 * the Core App's receiver and sender on their own connections, and the engine on its own threads.
 */
@DisplayName("PostOffice on PostgreSQL (127.0.0.1:5432) and RabbitMQ (127.0.0.1:5672), end to end")
class RabbitPostgresEndToEndIT {
  private static final Duration PATIENCE = Duration.ofSeconds(45);
  @RegisterExtension static final EndToEndDatabase database = EndToEndDatabase.perClass(8);

  private final String prefix = Rabbit.uniquePrefix();
  private final Deque<AutoCloseable> open = new ArrayDeque<>();
  private final List<String> queues =
      new ArrayList<>(List.of(PipelineBuilder.DEFAULT_ACK_DESTINATION));

  @BeforeAll
  static void needsRabbit() {
    Rabbit.assumeReachable();
  }

  @AfterEach
  void close() throws Exception {
    while (!open.isEmpty()) {
      open.pop().close();
    }
    Rabbit.cleanUp(prefix, queues);
  }

  private <T extends AutoCloseable> T opened(T resource) {
    open.push(resource);
    return resource;
  }

  @Test
  @DisplayName(
      "carries 2,000 partner messages to Acknowledged through the Core App receiver, rejecting the"
          + " malformed ones, and the core handler sees each message once")
  void upstream() throws Exception {
    String route = "acme-orders";
    queues.add("core.orders");
    RabbitTransport postOffice = opened(Rabbit.transport(prefix));
    RabbitTransport core = opened(Rabbit.transport(prefix));
    Pipeline pipeline =
        opened(
            PostOffice.builder()
                .store(database.store())
                .transport(postOffice)
                .route(EndToEnd.ordersRoute(route, "core.orders", EndToEnd.settings().build()))
                .build()
                .start());
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    Map<String, String> orderByMessage = new ConcurrentHashMap<>();
    opened(
        CoreAppReceiver.builder(core, database.receipts(), OrderPlaced.class)
            .from("core.orders")
            .name("orders-" + prefix)
            .handler(
                (order, context) -> {
                  handled
                      .computeIfAbsent(context.messageId(), k -> new AtomicInteger())
                      .incrementAndGet();
                  orderByMessage.put(
                      context.messageId(), order.orderId() + "|" + context.traceId());
                })
            .build()
            .start());

    List<RawMessage> batch = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      batch.add(RawMessage.json(EndToEnd.orderJson("o-" + i, 1 + i % 5), "delivery-" + i));
      if (i % 400 == 0) {
        batch.add(RawMessage.json("{broken", null));
      }
      if (batch.size() >= 100) {
        pipeline.intake(route).submitAll(batch);
        batch.clear();
      }
    }
    pipeline.intake(route).submitAll(batch);

    await(
        PATIENCE,
        "2,000 entries are Acknowledged",
        () -> count(pipeline, route, Layer.L4, Status.ACKNOWLEDGED) == 2000,
        () -> pipeline.operations().statsTable());
    assertThat(count(pipeline, route, Layer.L1, Status.REJECTED))
        .as("malformed partner messages")
        .isEqualTo(5);
    assertThat(handled).hasSize(2000);
    assertThat(EndToEnd.repeated(handled))
        .as("message ids the core handler saw more than once")
        .isEmpty();
    assertThat(orderByMessage.values())
        .map(v -> v.substring(0, v.indexOf('|')))
        .doesNotHaveDuplicates();

    // Lineage: the core saw the layer-4 entry id as message id, and the trace id of the partner
    // receipt.
    String messageId = handled.keySet().iterator().next();
    Entry published =
        database.store().find(dev.postoffice.model.EntryId.of(messageId)).orElseThrow();
    assertThat(published.status()).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(orderByMessage.get(messageId)).endsWith("|" + published.traceId().value());
    assertThat(pipeline.operations().trace(published.id()).entries())
        .extracting(e -> e.entry().layer())
        .contains(Layer.L1, Layer.L2, Layer.L3, Layer.L4);
    assertThat(pipeline.stop(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  @DisplayName(
      "dispatches what the Core App sends to the partner once per message, recording the core's"
          + " repeated sends as Duplicate")
  void downstream() throws Exception {
    String route = "shipments-to-acme";
    queues.add("core.shipments");
    RabbitTransport postOffice = opened(Rabbit.transport(prefix));
    RabbitTransport core = opened(Rabbit.transport(prefix));
    Partner partner = new Partner();
    Pipeline pipeline =
        opened(
            PostOffice.builder()
                .store(database.store())
                .transport(postOffice)
                .route(
                    EndToEnd.shipmentsRoute(
                        route, "core.shipments", EndToEnd.settings().build(), partner))
                .build()
                .start());

    CoreAppSender sender = CoreAppSender.create(core);
    // The core crashed after sending and sends some again, with the same ids.
    EndToEnd.sendShipments(sender, "core.shipments", 500, 25);

    await(
        PATIENCE,
        "500 dispatched and 25 duplicates recorded",
        () ->
            count(pipeline, route, Layer.L1, Status.DISPATCHED) == 500
                && count(pipeline, route, Layer.L4, Status.DUPLICATE) == 25,
        () -> pipeline.operations().statsTable());
    assertThat(partner.references()).hasSize(500);
    assertThat(EndToEnd.repeated(partner.references()))
        .as("shipments the partner received twice")
        .isEmpty();
    assertThat(partner.keys()).hasSize(500);
    assertThat(EndToEnd.repeated(partner.keys()))
        .as("idempotency keys the partner received twice")
        .isEmpty();
    assertThat(count(pipeline, route, Layer.L4, Status.PROCESSED)).isEqualTo(500);
    assertThat(pipeline.stop(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  @DisplayName(
      "dead-letters a Core App message the route cannot store, with the reason, and carries on")
  void poison() throws Exception {
    String route = "poison-to-acme";
    queues.add("core.poison");
    RabbitTransport postOffice = opened(Rabbit.transport(prefix));
    RabbitTransport core = opened(Rabbit.transport(prefix));
    Partner partner = new Partner();
    Pipeline pipeline =
        opened(
            PostOffice.builder()
                .store(database.store())
                .transport(postOffice)
                .route(
                    EndToEnd.shipmentsRoute(
                        route,
                        "core.poison",
                        EndToEnd.settings().maxPayloadBytes(4096).build(),
                        partner))
                .build()
                .start());
    Map<String, InboundMessage> dead = new ConcurrentHashMap<>();
    opened(
        core.subscribe(
            core.deadLetterDestination("core.poison"),
            m -> {
              dead.put(m.messageId(), m);
              return Disposition.ack();
            }));

    CoreAppSender sender = CoreAppSender.create(core);
    sender.send("core.poison", "ship-huge", new ShipOrder("o-huge", "x".repeat(10_000))).join();
    for (int i = 0; i < 50; i++) {
      sender.send("core.poison", "ship-" + i, new ShipOrder("o-" + i, "1 Main St")).join();
    }

    await(
        PATIENCE,
        "the poison message is dead-lettered and the 50 others dispatched",
        () -> dead.size() == 1 && count(pipeline, route, Layer.L1, Status.DISPATCHED) == 50,
        () -> dead.keySet() + "\n" + pipeline.operations().statsTable());
    assertThat(dead.get("ship-huge").headers().get(Transport.HEADER_DEAD_LETTER_REASON))
        .contains("over route " + route + "'s limit of 4096 bytes (maxPayloadBytes)");
    assertThat(dead.get("ship-huge").body()).hasSizeGreaterThan(10_000);
    assertThat(pipeline.operations().failed(route, 10))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(Status.REJECTED);
              assertThat(e.layer()).isEqualTo(Layer.L4);
            });
    assertThat(partner.references()).hasSize(50).doesNotContainKey("ACME-o-huge");
    assertThat(pipeline.stop(Duration.ofSeconds(10))).isTrue();
  }
}
