package dev.postoffice.core.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntrySearch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A paused route")
class RoutePauseTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("still stores what arrives, claims nothing until resumed, then finishes it all")
  void pauseStopsClaimsResumeRestarts() {
    Pipeline p =
        h.pipeline("node-a")
            .pauseRefreshInterval(Duration.ZERO)
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .build();
    p.start();
    Operations ops = p.operations();
    ops.pause(Harness.ORDERS, "alice");

    List<IntakeReceipt> receipts = submit(p, 3);

    assertThat(p.runOnce()).as("work done while paused").isZero();
    for (IntakeReceipt r : receipts) {
      Entry e = h.store.find(r.entryId()).orElseThrow();
      assertThat(e.status()).isEqualTo(Status.JUST_IN);
      assertThat(e.lease()).as("not handed over in memory either").isNull();
    }
    assertThat(ops.routeSummary(Harness.ORDERS).paused()).isTrue();
    assertThat(ops.routeSummary(Harness.ORDERS).pause().orElseThrow().pausedBy())
        .isEqualTo("alice");

    assertThat(ops.resume(Harness.ORDERS, "alice")).isTrue();
    Drain.untilIdle(p, h.transport);

    assertThat(layer4(ops))
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.QUEUED));
    p.close();
  }

  @Test
  @DisplayName("stops the later stages too: entries already past layer 1 wait where they are")
  void pauseHoldsEveryLayer() {
    Pipeline p =
        h.pipeline("node-a")
            .pauseRefreshInterval(Duration.ZERO)
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .build();
    p.start();
    Operations ops = p.operations();
    submit(p, 2);
    ops.pause(Harness.ORDERS, "bob");
    // Paused between intake and the first claim: nothing of any layer moves.
    Drain.untilIdle(p, h.transport);
    assertThat(layer4(ops)).isEmpty();

    ops.resume(Harness.ORDERS, "bob");
    Drain.untilIdle(p, h.transport);
    assertThat(layer4(ops)).hasSize(2);
    p.close();
  }

  @Test
  @DisplayName("on a node with worker threads, claims nothing until resumed")
  void threadedPause() {
    Pipeline p =
        h.pipeline("node-a")
            .pauseRefreshInterval(Duration.ofMillis(50))
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .build();
    // The harness builds manual pipelines; this one needs its threads.
    Pipeline threaded =
        dev.postoffice.core.PostOffice.builder()
            .nodeId("node-t")
            .store(h.store)
            .transport(h.transport)
            .clock(h.clock)
            .pauseRefreshInterval(Duration.ofMillis(50))
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .build();
    p.operations().pause(Harness.ORDERS, "carol");
    threaded.start();
    try {
      List<IntakeReceipt> receipts = submit(threaded, 2);
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  receipts.stream()
                      .allMatch(
                          r -> h.store.find(r.entryId()).orElseThrow().status() == Status.JUST_IN));

      p.operations().resume(Harness.ORDERS, "carol");
      await().atMost(Duration.ofSeconds(10)).until(() -> layer4(p.operations()).size() == 2);
    } finally {
      threaded.close();
    }
  }

  @Test
  @DisplayName("downstream: stores what the Core App sends, calls the partner only once resumed")
  void downstreamPause() {
    Pipeline p =
        h.pipeline("node-a")
            .pauseRefreshInterval(Duration.ZERO)
            .route(h.shipmentsRoute(h.settings()))
            .build();
    p.operations().pause(Harness.SHIPMENTS, "dave");
    p.start();
    CoreAppSender sender = CoreAppSender.create(h.transport);
    for (int i = 0; i < 3; i++) {
      sender.send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new Models.ShipOrder("o-" + i, "x")).join();
    }
    Drain.untilIdle(p, h.transport);

    List<Entry> stored =
        p.operations()
            .search(EntrySearch.builder().route(RouteId.of(Harness.SHIPMENTS)).build())
            .entries();
    assertThat(stored)
        .hasSize(3)
        .allSatisfy(
            e -> {
              assertThat(e.layer()).isEqualTo(Layer.L4);
              assertThat(e.status()).isEqualTo(Status.JUST_IN);
              assertThat(e.lease()).isNull();
            });
    assertThat(p.operations().findByDeliveryId("ship-1")).hasSize(1);
    assertThat(h.partnerSaw).isEmpty();

    p.operations().resume(Harness.SHIPMENTS, "dave");
    Drain.untilIdle(p, h.transport);
    assertThat(h.partnerSaw).hasSize(3);
    p.close();
  }

  private static List<IntakeReceipt> submit(Pipeline p, int n) {
    List<IntakeReceipt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null)));
    }
    return out;
  }

  private static List<Entry> layer4(Operations ops) {
    return ops.search(
            EntrySearch.builder().route(RouteId.of(Harness.ORDERS)).layer(Layer.L4).build())
        .entries();
  }
}
