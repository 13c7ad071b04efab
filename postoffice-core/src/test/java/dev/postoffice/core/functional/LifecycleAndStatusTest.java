package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.LineOrdered;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@DisplayName("Statuses, replay and logging context")
class LifecycleAndStatusTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("every status of the design is reachable and appears in some entry's history")
  void everyStatusReachable() {
    AtomicInteger version = new AtomicInteger(1);
    Pipeline p =
        h.pipeline("node-a")
            .route(
                h.ordersRoute(
                    order -> {
                      if (order.orderId().startsWith("empty")) {
                        return List.of();
                      }
                      if (order.orderId().startsWith("flaky")) {
                        throw new IllegalStateException("down");
                      }
                      return version.get() == 1
                          ? Harness.perLine(order)
                          : List.of(new LineOrdered(order.orderId(), "all", 1));
                    },
                    h.settings().toBuilder()
                        .retry(RetrySettings.ofDefaults().withMaxAttempts(2))
                        .build()))
            .route(h.shipmentsRoute(h.settings()))
            .build()
            .start();
    h.startReceiver();
    var intake = p.intake(Harness.ORDERS);
    EntryId replayMe = intake.submit(RawMessage.json(Models.orderJson("o-1", 2), "k-1")).entryId();
    intake.submit(RawMessage.json(Models.orderJson("o-1", 2), "k-1")); // DUPLICATE
    intake.submit(RawMessage.json(Models.orderJson("empty-1", 1), null)); // FILTERED
    intake.submit(RawMessage.json("{", null)); // REJECTED
    intake.submit(RawMessage.json(Models.orderJson("flaky-1", 1), null)); // RETRYING, FAILED
    CoreAppSender.create(h.transport)
        .send(Harness.SHIPMENTS_QUEUE, "s-1", new ShipOrder("o-1", "x"))
        .join();
    for (int i = 0; i < 3; i++) {
      Drain.untilIdle(p, h.transport);
      h.clock.advance(Duration.ofHours(1));
    }
    version.set(2);
    Entry l2 =
        p.operations().lineage(replayMe).descendants().stream()
            .filter(e -> e.layer() == Layer.L2)
            .findFirst()
            .orElseThrow();
    p.operations().replay(l2.id(), "mapping v2"); // SUPERSEDED
    Drain.untilIdle(p, h.transport);

    Set<Status> seen = EnumSet.noneOf(Status.class);
    for (Entry e : h.store.query(new EntryQuery(null, null, Set.of(), null, 1000, false))) {
      h.store.history(e.id()).forEach(r -> seen.add(r.to()));
    }
    assertThat(seen).containsExactlyInAnyOrder(Status.values());
    p.close();
  }

  @Test
  @DisplayName("replay re-translates after a mapping fix: old outputs are superseded, not deleted")
  void replaySupersedes() {
    AtomicInteger version = new AtomicInteger(1);
    Pipeline p =
        h.pipeline("node-a")
            .route(
                h.ordersRoute(
                    order ->
                        version.get() == 1
                            ? Harness.perLine(order)
                            : List.of(new LineOrdered(order.orderId(), "bundle", 99)),
                    h.settings()))
            .build()
            .start();
    h.startReceiver();
    EntryId raw =
        p.intake(Harness.ORDERS)
            .submit(RawMessage.json(Models.orderJson("o-1", 2), null))
            .entryId();
    Drain.untilIdle(p, h.transport);
    Entry l2 =
        p.operations().lineage(raw).descendants().stream()
            .filter(e -> e.layer() == Layer.L2)
            .findFirst()
            .orElseThrow();

    version.set(2);
    Entry replayed = p.operations().replay(l2.id(), "translator v2 fixes bundles");
    Drain.untilIdle(p, h.transport);

    assertThat(replayed.generation()).isEqualTo(1);
    Map<Status, Integer> outputs = new HashMap<>();
    h.store.findBySource(l2.id()).forEach(e -> outputs.merge(e.status(), 1, Integer::sum));
    assertThat(outputs).containsEntry(Status.SUPERSEDED, 2).containsEntry(Status.PROCESSED, 1);
    assertThat(h.store.history(l2.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.PROCESSED, Status.JUST_IN, Status.PROCESSED);
    assertThat(h.store.history(l2.id()).get(2).detail()).contains("translator v2 fixes bundles");
    assertThat(h.coreSaw).hasSize(3);
    p.close();
  }

  @Test
  @DisplayName(
      "puts trace id, route, layer and entry id in the logging context while host code runs")
  void mdc() {
    Map<String, String> seen = new HashMap<>();
    Pipeline p =
        h.pipeline("node-a")
            .route(
                h.ordersRoute(
                    order -> {
                      seen.putAll(MDC.getCopyOfContextMap());
                      return Harness.perLine(order);
                    },
                    h.settings()))
            .build()
            .start();
    var receipt =
        p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
    Drain.untilIdle(p, h.transport);

    Entry l2 = p.operations().lineage(receipt.entryId()).descendants().get(0);
    assertThat(seen)
        .containsEntry("traceId", receipt.traceId().value())
        .containsEntry("route", Harness.ORDERS)
        .containsEntry("layer", "L2")
        .containsEntry("entryId", l2.id().value());
    assertThat(MDC.get("traceId")).as("cleared afterwards").isNull();
    p.close();
  }
}
