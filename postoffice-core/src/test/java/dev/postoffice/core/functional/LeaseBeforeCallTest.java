package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.DispatchResult;
import dev.postoffice.PartnerRequest;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.AcmeShipment;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.StageFinished;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.EntryQuery;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Before each external call, a stage confirms its lease is still its own and extends it when it is
 * no longer fresh; it makes no call for an entry another node took over (issue 16, defect 10).
 * "Another node" here claims through the same store with its own (skewed) clock, as a second
 * process on a shared store would.
 */
@DisplayName("A stage about to call out")
class LeaseBeforeCallTest {
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final Harness h = new Harness();
  private final List<String> partnerSaw = new CopyOnWriteArrayList<>();
  private final List<String> takenByOtherNode = new CopyOnWriteArrayList<>();

  /**
   * Taken over by the other node while this node's call for it was already under way: no guard can
   * help.
   */
  private final List<String> takenInFlight = new CopyOnWriteArrayList<>();

  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    h.close();
  }

  private RouteSettings settings() {
    return RouteSettings.builder().batchSize(50).linger(Duration.ZERO).leaseDuration(LEASE).build();
  }

  /** The shipments route with a partner stand-in that runs {@code duringCall} inside each call. */
  private Route shipments(Consumer<String> duringCall) {
    return Route.downstream(Harness.SHIPMENTS)
        .consumeFrom(Harness.SHIPMENTS_QUEUE, ShipOrder.class)
        .translate(
            AcmeShipment.class,
            ship -> List.of(new AcmeShipment("ACME-" + ship.orderId(), ship.address())))
        .normalize(
            s ->
                new PartnerRequest(
                    "POST",
                    URI.create("https://acme.example/shipments"),
                    Map.of(),
                    h.codec.encode(s)))
        .dispatchWith(
            (request, context) -> {
              partnerSaw.add(context.idempotencyKey());
              duringCall.accept(context.idempotencyKey());
              return new DispatchResult(201, "{}");
            })
        .settings(settings())
        .build();
  }

  /**
   * Another node, whose clock is {@code ahead} of this one's, claims what it finds due of a layer.
   */
  private void otherNodeClaims(String route, Layer layer, Duration ahead, String inFlight) {
    List<Entry> got =
        h.store.claim(
            new ClaimRequest(
                RouteId.of(route), layer, 100, "node-b", LEASE, h.clock.instant().plus(ahead)));
    got.forEach(
        e ->
            (e.id().value().equals(inFlight) ? takenInFlight : takenByOtherNode)
                .add(e.id().value()));
  }

  private void sendShipments(int n) {
    h.transport.declare(Harness.SHIPMENTS_QUEUE);
    CoreAppSender sender = CoreAppSender.create(h.transport);
    for (int i = 0; i < n; i++) {
      sender
          .send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new ShipOrder("o-" + i, "1 Main St"))
          .join();
    }
  }

  @Test
  @DisplayName(
      "makes no partner call for an entry whose lease a node with a clock ahead took over meanwhile")
  void noDispatchAfterTakeOver() {
    AtomicBoolean first = new AtomicBoolean(true);
    pipeline =
        h.pipeline("node-a")
            .route(
                shipments(
                    key -> {
                      if (first.getAndSet(false)) {
                        // Half a lease passes during this call; a node whose clock is a lease ahead
                        // sees the others expired.
                        h.clock.advance(LEASE.dividedBy(2));
                        otherNodeClaims(Harness.SHIPMENTS, Layer.L1, LEASE, key);
                      }
                    }))
            .build();
    sendShipments(5); // before the start, so they arrive together and travel as one batch
    pipeline.start();
    Drain.untilIdle(pipeline, h.transport);

    assertThat(takenByOtherNode).as("taken over by the other node").isNotEmpty();
    assertThat(partnerSaw).as("called by this node").doesNotContainAnyElementsOf(takenByOtherNode);
    assertThat(partnerSaw.size() + takenByOtherNode.size()).isEqualTo(5);
    assertThat(partnerSaw).containsAll(takenInFlight);
  }

  @Test
  @DisplayName(
      "keeps its leases through a batch of calls longer than a lease, extending them as it goes")
  void longBatchKeepsItsLeases() {
    pipeline =
        h.pipeline("node-a")
            .route(
                shipments(
                    key -> {
                      h.clock.advance(LEASE.dividedBy(2)); // each call takes half a lease
                      otherNodeClaims(Harness.SHIPMENTS, Layer.L1, Duration.ZERO, key);
                    }))
            .build();
    sendShipments(5);
    pipeline.start();
    Drain.untilIdle(pipeline, h.transport);

    assertThat(takenByOtherNode).as("taken over by another node").isEmpty();
    assertThat(takenInFlight).as("taken over by another node during its call").isEmpty();
    assertThat(partnerSaw).hasSize(5).doesNotHaveDuplicates();
    assertThat(
            h.store.query(
                new EntryQuery(
                    RouteId.of(Harness.SHIPMENTS),
                    Layer.L1,
                    Set.of(Status.DISPATCHED),
                    null,
                    100,
                    false)))
        .hasSize(5);
  }

  @Test
  @DisplayName(
      "does not publish an entry whose lease a node with a clock ahead took over before the publish")
  void noPublishAfterTakeOver() {
    AtomicBoolean once = new AtomicBoolean(true);
    PipelineListener takeOver =
        new PipelineListener() {
          @Override
          public void onStageFinished(StageFinished event) {
            // The layer-4 entries are stored, leased to node-a and waiting for its publish stage.
            boolean waiting =
                !h.store
                    .query(
                        new EntryQuery(
                            RouteId.of(Harness.ORDERS),
                            Layer.L4,
                            Set.of(Status.JUST_IN),
                            null,
                            1,
                            false))
                    .isEmpty();
            if (waiting && once.getAndSet(false)) {
              h.clock.advance(LEASE.dividedBy(2));
              otherNodeClaims(Harness.ORDERS, Layer.L4, LEASE, null);
            }
          }
        };
    pipeline =
        h.pipeline("node-a")
            .listener(takeOver)
            .route(h.ordersRoute(Harness::perLine, settings()))
            .build()
            .start();
    h.transport.declare(Harness.ORDERS_QUEUE);
    pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 3), "d-1"));
    Drain.untilIdle(pipeline, h.transport);

    assertThat(takenByOtherNode).as("taken over by the other node").hasSize(3);
    assertThat(h.transport.queued(Harness.ORDERS_QUEUE)).as("published by this node").isZero();
    for (String id : takenByOtherNode) {
      assertThat(h.store.find(EntryId.of(id)).orElseThrow().lease().owner()).isEqualTo("node-b");
    }
  }
}
