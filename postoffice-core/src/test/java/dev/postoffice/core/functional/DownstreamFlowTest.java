package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.DispatchResult;
import dev.postoffice.PartnerRequest;
import dev.postoffice.PermanentFailureException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models.AcmeShipment;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.StatusStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A downstream route")
class DownstreamFlowTest {
  private final Harness h = new Harness();
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    h.close();
  }

  private List<Entry> layer(Layer layer) {
    return h.store.query(new EntryQuery(null, layer, Set.of(), null, 1000, false));
  }

  @Test
  @DisplayName(
      "stores a Core App message first, then dispatches it to the partner with its idempotency key")
  void dispatches() {
    pipeline = h.pipeline("node-a").route(h.shipmentsRoute(h.settings())).build().start();
    h.transport.declare(
        Harness.SHIPMENTS_QUEUE); // sent before the pipeline starts, so they arrive together
    CoreAppSender sender = CoreAppSender.create(h.transport);
    for (int i = 0; i < 10; i++) {
      sender
          .send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new ShipOrder("o-" + i, "1 Main St"))
          .join();
    }
    Drain.untilIdle(pipeline, h.transport);

    assertThat(layer(Layer.L4))
        .hasSize(10)
        .allSatisfy(
            e -> {
              assertThat(e.status()).isEqualTo(Status.PROCESSED);
              assertThat(e.dedupKey()).startsWith("ship-");
            });
    List<Entry> dispatched = layer(Layer.L1);
    assertThat(dispatched)
        .hasSize(10)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.DISPATCHED));
    assertThat(h.partnerSaw)
        .containsExactlyInAnyOrderElementsOf(dispatched.stream().map(e -> e.id().value()).toList());
    assertThat(h.store.history(dispatched.get(0).id()))
        .last()
        .extracting(HistoryRecord::detail)
        .isEqualTo("status 201: {\"accepted\":true}");
  }

  @Test
  @DisplayName("records a message the Core App sent twice as Duplicate and dispatches it once")
  void dedupByMessageId() {
    pipeline = h.pipeline("node-a").route(h.shipmentsRoute(h.settings())).build().start();
    CoreAppSender sender = CoreAppSender.create(h.transport);
    sender.send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "x")).join();
    sender.send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "x")).join();
    Drain.untilIdle(pipeline, h.transport);

    assertThat(layer(Layer.L4))
        .extracting(Entry::status)
        .containsExactlyInAnyOrder(Status.PROCESSED, Status.DUPLICATE);
    assertThat(h.partnerSaw).hasSize(1);
  }

  /** The harness's store, recording the size of each intake call. */
  private StatusStore recordingIntakes(List<Integer> intakes) {
    return (StatusStore)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {StatusStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("intake")) {
                intakes.add(((List<?>) args[0]).size());
              }
              try {
                return method.invoke(h.store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  @DisplayName(
      "stores Core App messages delivered together in one store call, dead-lettering an oversized one")
  void storesADeliveryBatchAtOnce() {
    h.transport.declare(
        Harness.SHIPMENTS_QUEUE); // sent before the pipeline starts, so they arrive together
    CoreAppSender sender = CoreAppSender.create(h.transport);
    for (int i = 0; i < 10; i++) {
      String address = i == 4 ? "x".repeat(2_000) : "1 Main St";
      sender.send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new ShipOrder("o-" + i, address)).join();
    }
    List<Integer> intakes = new CopyOnWriteArrayList<>(); // written on the transport's thread
    pipeline =
        h.pipeline("node-a")
            .store(recordingIntakes(intakes))
            .route(h.shipmentsRoute(h.settings().toBuilder().maxPayloadBytes(1_000).build()))
            .build()
            .start();
    Drain.untilIdle(pipeline, h.transport);

    // One call for the nine, one for the record of the oversized one (stored without its body).
    assertThat(intakes).as("sizes of the intake calls").containsExactlyInAnyOrder(9, 1);
    assertThat(h.partnerSaw).hasSize(9);
    assertThat(layer(Layer.L4))
        .filteredOn(e -> e.status() == Status.REJECTED)
        .singleElement()
        .satisfies(
            e ->
                assertThat(h.store.history(e.id()))
                    .last()
                    .extracting(HistoryRecord::detail)
                    .asString()
                    .contains("over route " + Harness.SHIPMENTS + "'s limit"));
  }

  @Test
  @DisplayName(
      "takes a delivery batch over the backlog limit one message at a time, holding each until the"
          + " route drains, losing none")
  void batchOverTheBacklogLimit() {
    h.transport.declare(Harness.SHIPMENTS_QUEUE);
    CoreAppSender sender = CoreAppSender.create(h.transport);
    for (int i = 0; i < 12; i++) {
      sender
          .send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new ShipOrder("o-" + i, "1 Main St"))
          .join();
    }
    pipeline =
        h.pipeline("node-a")
            .route(h.shipmentsRoute(h.settings().toBuilder().highWaterMark(5).build()))
            .build()
            .start();
    Awaitility.await("all 12 dispatched")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              pipeline.runOnce();
              return h.partnerSaw.size() == 12;
            });

    assertThat(h.partnerSaw).doesNotHaveDuplicates();
    assertThat(layer(Layer.L4))
        .hasSize(12)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.PROCESSED));
  }

  @Test
  @DisplayName("rejects a Core App message it cannot read, without blocking the next ones")
  void malformedCoreMessage() {
    pipeline = h.pipeline("node-a").route(h.shipmentsRoute(h.settings())).build().start();
    h.transport
        .publish(
            Harness.SHIPMENTS_QUEUE,
            new OutboundMessage(
                "bad-1", Map.of(), "<xml/>".getBytes(StandardCharsets.UTF_8), "application/xml"))
        .join();
    CoreAppSender.create(h.transport)
        .send(Harness.SHIPMENTS_QUEUE, "ship-2", new ShipOrder("o-2", "y"))
        .join();
    Drain.untilIdle(pipeline, h.transport);

    assertThat(pipeline.operations().failed(Harness.SHIPMENTS, 10))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(Status.REJECTED);
              assertThat(e.lastError())
                  .isEqualTo(
                      "cannot decode content type 'application/xml' as ShipOrder:"
                          + " expected application/json");
            });
    assertThat(h.partnerSaw).hasSize(1);
  }

  @Test
  @DisplayName("fails at once on a partner's permanent refusal, keeping the reason")
  void partnerRefuses() {
    Route route =
        Route.downstream("refusing")
            .consumeFrom("core.refusing", ShipOrder.class)
            .translate(AcmeShipment.class, s -> List.of(new AcmeShipment(s.orderId(), s.address())))
            .normalize(
                s -> PartnerRequest.post(URI.create("https://acme.example/x"), h.codec.encode(s)))
            .dispatchWith(
                (request, context) -> {
                  throw new PermanentFailureException("partner answered 422: address unknown");
                })
            .settings(h.settings())
            .build();
    pipeline = h.pipeline("node-a").route(route).build().start();
    CoreAppSender.create(h.transport)
        .send("core.refusing", "m-1", new ShipOrder("o-1", "nowhere"))
        .join();
    Drain.untilIdle(pipeline, h.transport);

    assertThat(layer(Layer.L1))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(Status.FAILED);
              assertThat(e.lastError()).isEqualTo("partner answered 422: address unknown");
            });
  }

  @Test
  @DisplayName("treats an error status returned by a dispatcher as a failure, not as dispatched")
  void errorStatusIsNoSuccess() {
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    Route route =
        Route.downstream("statuses")
            .consumeFrom("core.statuses", ShipOrder.class)
            .translate(AcmeShipment.class, s -> List.of(new AcmeShipment(s.orderId(), s.address())))
            .normalize(
                s -> PartnerRequest.post(URI.create("https://acme.example/x"), h.codec.encode(s)))
            .dispatchWith(
                (request, context) ->
                    calls.incrementAndGet() == 1
                        ? new DispatchResult(503, "busy")
                        : new DispatchResult(404, "no such customer"))
            .settings(h.settings())
            .build();
    pipeline = h.pipeline("node-a").route(route).build().start();
    CoreAppSender.create(h.transport)
        .send("core.statuses", "m-1", new ShipOrder("o-1", "x"))
        .join();
    Drain.untilIdle(pipeline, h.transport);
    h.clock.advance(java.time.Duration.ofHours(1));
    Drain.untilIdle(pipeline, h.transport);

    Entry l1 = layer(Layer.L1).get(0);
    assertThat(h.store.history(l1.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.RETRYING, Status.FAILED);
    assertThat(l1.lastError()).isEqualTo("partner answered status 404: no such customer");
  }

  @Test
  @DisplayName(
      "does not start a partner call whose claim is about to expire, so no other node repeats it")
  void noCallOnAnExpiringClaim() {
    List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
    Route route =
        Route.downstream("slow-partner")
            .consumeFrom("core.slow", ShipOrder.class)
            .translate(AcmeShipment.class, s -> List.of(new AcmeShipment(s.orderId(), s.address())))
            .normalize(
                s -> PartnerRequest.post(URI.create("https://acme.example/x"), h.codec.encode(s)))
            .dispatchWith(
                (request, context) -> {
                  keys.add(context.idempotencyKey());
                  h.clock.advance(
                      java.time.Duration.ofSeconds(
                          55)); // each call takes most of the one-minute claim
                  return DispatchResult.of(201);
                })
            .settings(
                h.settings().toBuilder().leaseDuration(java.time.Duration.ofMinutes(1)).build())
            .build();
    pipeline = h.pipeline("node-a").route(route).build().start();
    CoreAppSender sender = CoreAppSender.create(h.transport);
    for (int i = 0; i < 3; i++) {
      sender.send("core.slow", "m-" + i, new ShipOrder("o-" + i, "x")).join();
    }
    for (int i = 0; i < 10; i++) {
      Drain.untilIdle(pipeline, h.transport);
      h.clock.advance(java.time.Duration.ofMinutes(5));
    }

    assertThat(layer(Layer.L1))
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.DISPATCHED));
    assertThat(keys).as("each request sent once").hasSize(3).doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("keeps the request's method, address, headers and body intact through the store")
  void requestSurvivesStore() {
    List<PartnerRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    Route route =
        Route.downstream("echo")
            .consumeFrom("core.echo", ShipOrder.class)
            .translate(AcmeShipment.class, s -> List.of(new AcmeShipment(s.orderId(), s.address())))
            .normalize(
                s ->
                    new PartnerRequest(
                        "PUT",
                        URI.create("https://acme.example/s/" + s.reference()),
                        Map.of("X-Tenant", "t1"),
                        h.codec.encode(s)))
            .dispatchWith(
                (request, context) -> {
                  seen.add(request);
                  return DispatchResult.of(204);
                })
            .settings(h.settings())
            .build();
    pipeline = h.pipeline("node-a").route(route).build().start();
    CoreAppSender.create(h.transport).send("core.echo", "m-1", new ShipOrder("o-9", "here")).join();
    Drain.untilIdle(pipeline, h.transport);

    assertThat(seen)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("PUT");
              assertThat(r.uri()).hasToString("https://acme.example/s/o-9");
              assertThat(r.headers()).containsEntry("X-Tenant", "t1");
              assertThat(h.codec.decode(r.body(), AcmeShipment.class))
                  .isEqualTo(new AcmeShipment("o-9", "here"));
            });
  }
}
