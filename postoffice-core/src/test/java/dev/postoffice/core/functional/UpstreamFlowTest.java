package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.operator.Lineage;
import dev.postoffice.core.operator.TraceView;
import dev.postoffice.core.operator.TracedEntry;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An upstream route")
class UpstreamFlowTest {
  private final Harness h = new Harness();
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    h.close();
  }

  private Pipeline start() {
    pipeline =
        h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, h.settings())).build().start();
    h.startReceiver();
    return pipeline;
  }

  @Test
  @DisplayName("carries a partner message through all four layers to Acknowledged")
  void reachesAcknowledged() {
    start();
    IntakeReceipt receipt =
        pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 3), "d-1"));
    Drain.untilIdle(pipeline, h.transport);

    TraceView trace = pipeline.operations().trace(receipt.entryId());
    assertThat(trace.traceId()).isEqualTo(receipt.traceId());
    assertThat(trace.entries())
        .extracting(t -> t.entry().layer() + ":" + t.entry().status())
        .containsExactlyInAnyOrder(
            "L1:Processed",
            "L2:Processed",
            "L3:Processed",
            "L3:Processed",
            "L3:Processed",
            "L4:Acknowledged",
            "L4:Acknowledged",
            "L4:Acknowledged");
    assertThat(h.coreSaw)
        .hasSize(3)
        .allSatisfy((id, count) -> assertThat(count.get()).isEqualTo(1));
  }

  @Test
  @DisplayName("uses the layer-4 entry id as the message id the Core App sees")
  void messageIdIsEntryId() {
    start();
    IntakeReceipt receipt =
        pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-2", 2), null));
    Drain.untilIdle(pipeline, h.transport);

    List<String> l4Ids =
        pipeline.operations().trace(receipt.entryId()).entries().stream()
            .map(TracedEntry::entry)
            .filter(e -> e.layer() == Layer.L4)
            .map(e -> e.id().value())
            .toList();
    assertThat(h.coreSaw.keySet()).containsExactlyInAnyOrderElementsOf(l4Ids);
  }

  @Test
  @DisplayName("records every status change of every entry in its history, starting from creation")
  void historyOfEveryEntry() {
    start();
    IntakeReceipt receipt =
        pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-3", 1), null));
    Drain.untilIdle(pipeline, h.transport);

    for (TracedEntry traced : pipeline.operations().trace(receipt.entryId()).entries()) {
      List<HistoryRecord> history = traced.history();
      assertThat(history.get(0).from()).isNull();
      assertThat(history.get(0).to()).isEqualTo(Status.JUST_IN);
      assertThat(history.get(history.size() - 1).to()).isEqualTo(traced.entry().status());
      for (int i = 1; i < history.size(); i++) {
        assertThat(history.get(i).from()).isEqualTo(history.get(i - 1).to());
      }
    }
    Entry l4 =
        pipeline.operations().trace(receipt.entryId()).entries().stream()
            .map(TracedEntry::entry)
            .filter(e -> e.layer() == Layer.L4)
            .findFirst()
            .orElseThrow();
    assertThat(h.store.history(l4.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.QUEUED, Status.ACKNOWLEDGED);
  }

  @Test
  @DisplayName(
      "links every entry to its source, both ways, and records the stage version that made it")
  void lineageBothWays() {
    start();
    IntakeReceipt receipt =
        pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-4", 2), null));
    Drain.untilIdle(pipeline, h.transport);

    Lineage forward = pipeline.operations().lineage(receipt.entryId());
    assertThat(forward.ancestors()).isEmpty();
    assertThat(forward.descendants()).hasSize(1 + 2 + 2);
    Entry core =
        forward.descendants().stream().filter(e -> e.layer() == Layer.L4).findFirst().orElseThrow();

    Lineage back = pipeline.operations().lineage(core.id());
    assertThat(back.root().id()).isEqualTo(receipt.entryId());
    assertThat(back.ancestors())
        .extracting(Entry::layer)
        .containsExactly(Layer.L1, Layer.L2, Layer.L3);
    assertThat(back.ancestors().get(1).producedBy()).isEqualTo("normalize@n-2");
    assertThat(back.ancestors().get(2).producedBy()).isEqualTo("translate@t-7");
    assertThat(h.store.find(receipt.entryId()).orElseThrow().payload().asUtf8())
        .contains("\"o-4\"");
  }

  @Test
  @DisplayName("filters a message its translator maps to nothing")
  void filtered() {
    pipeline =
        h.pipeline("node-a").route(h.ordersRoute(order -> List.of(), h.settings())).build().start();
    IntakeReceipt receipt =
        pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-5", 2), null));
    Drain.untilIdle(pipeline, h.transport);

    assertThat(pipeline.operations().lineage(receipt.entryId()).descendants())
        .singleElement()
        .satisfies(e -> assertThat(e.status()).isEqualTo(Status.FILTERED));
  }

  @Test
  @DisplayName("counts entries per route, layer and status")
  void counts() {
    start();
    for (int i = 0; i < 20; i++) {
      pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 2), null));
    }
    Drain.untilIdle(pipeline, h.transport);

    assertThat(pipeline.operations().stats())
        .contains(
            new StatusCount(pipeline.routes().get(0), Layer.L1, Status.PROCESSED, 20),
            new StatusCount(pipeline.routes().get(0), Layer.L4, Status.ACKNOWLEDGED, 40));
    assertThat(pipeline.operations().statsTable())
        .contains("acme-orders L4")
        .contains("Acknowledged");
  }
}
