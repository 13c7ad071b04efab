package dev.postoffice.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Operations for a console")
class OperatorViewsTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("summarise a route: counts per layer and status, the oldest waiting entry's age")
  void routeSummary() {
    Pipeline p = h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, h.settings())).build();
    p.start();
    p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 2), null));
    Drain.untilIdle(p, h.transport); // no Core App: the layer-4 entries stay Queued
    h.clock.advance(Duration.ofSeconds(90));

    RouteSummary summary = p.operations().routeSummary(Harness.ORDERS);

    assertThat(summary.counts())
        .containsEntry(Layer.L1, Map.of(Status.PROCESSED, 1L))
        .containsEntry(Layer.L4, Map.of(Status.QUEUED, 2L));
    assertThat(summary.count(Status.QUEUED)).isEqualTo(2);
    assertThat(summary.oldestWaitingAge()).contains(Duration.ofSeconds(90));
    assertThat(summary.paused()).isFalse();
    assertThat(p.operations().routeSummaries()).extracting(RouteSummary::route).hasSize(1);
    assertThat(p.operations().routeSummary("no-such-route").counts()).isEmpty();
    p.close();
  }

  @Test
  @DisplayName("find a message by the partner's delivery id, and replay it recording who asked")
  void byDeliveryIdAndReplay() {
    Pipeline p = h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, h.settings())).build();
    p.start();
    IntakeReceipt first =
        p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), "shopify-123"));
    // The redelivery a moment later: lookups list the oldest first, ties broken by id.
    h.clock.advance(Duration.ofMillis(1));
    p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), "shopify-123"));
    Drain.untilIdle(p, h.transport);

    assertThat(p.operations().findByDeliveryId("shopify-123"))
        .extracting(Entry::status)
        .containsExactly(Status.PROCESSED, Status.DUPLICATE);

    Entry replayed = p.operations().replay(first.entryId(), "mapping fixed", "alice");

    assertThat(replayed.status()).isEqualTo(Status.JUST_IN);
    assertThat(h.store.history(first.entryId()))
        .last()
        .extracting(HistoryRecord::detail)
        .isEqualTo("replayed by operator alice: mapping fixed");
    p.close();
  }
}
