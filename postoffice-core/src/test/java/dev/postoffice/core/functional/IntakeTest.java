package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.BacklogFullException;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.NoSuchRouteException;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Intake")
class IntakeTest {
  private final Harness h = new Harness();
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    h.close();
  }

  private Pipeline start(RouteSettings settings) {
    pipeline =
        h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, settings)).build().start();
    h.startReceiver();
    return pipeline;
  }

  @Nested
  @DisplayName("deduplication")
  class Dedup {
    @Test
    @DisplayName("records a partner message received twice as Duplicate and processes it once")
    void duplicateProcessedOnce() {
      start(h.settings());
      IntakeReceipt first =
          pipeline
              .intake(Harness.ORDERS)
              .submit(RawMessage.json(Models.orderJson("o-1", 2), "d-1"));
      IntakeReceipt again =
          pipeline
              .intake(Harness.ORDERS)
              .submit(RawMessage.json(Models.orderJson("o-1", 2), "d-1"));
      Drain.untilIdle(pipeline, h.transport);
      IntakeReceipt later =
          pipeline
              .intake(Harness.ORDERS)
              .submit(RawMessage.json(Models.orderJson("o-1", 2), "d-1"));
      Drain.untilIdle(pipeline, h.transport);

      assertThat(first.isDuplicate()).isFalse();
      assertThat(again.duplicateOf()).isEqualTo(first.entryId());
      assertThat(later.duplicateOf()).isEqualTo(first.entryId());
      assertThat(h.store.find(again.entryId()).orElseThrow().status()).isEqualTo(Status.DUPLICATE);
      assertThat(h.coreSaw).hasSize(2);
    }

    @Test
    @DisplayName("treats messages without a dedup key as distinct")
    void noKeyNoDedup() {
      start(h.settings());
      pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
      pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
      Drain.untilIdle(pipeline, h.transport);
      assertThat(h.coreSaw).hasSize(2);
    }
  }

  @Nested
  @DisplayName("backpressure")
  class Backpressure {
    @Test
    @DisplayName("refuses past the high-water mark with BacklogFullException and stores nothing")
    void refusesPastHighWaterMark() {
      start(h.settings().toBuilder().highWaterMark(5).retryAfter(Duration.ofSeconds(7)).build());
      for (int i = 0; i < 5; i++) {
        pipeline
            .intake(Harness.ORDERS)
            .submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
      }
      assertThatThrownBy(
              () ->
                  pipeline
                      .intake(Harness.ORDERS)
                      .submit(RawMessage.json(Models.orderJson("x", 1), null)))
          .isInstanceOfSatisfying(
              BacklogFullException.class,
              e -> {
                assertThat(e.route().value()).isEqualTo(Harness.ORDERS);
                assertThat(e.backlog()).isEqualTo(5);
                assertThat(e.highWaterMark()).isEqualTo(5);
                assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
              })
          .hasMessage(
              "route acme-orders refused intake: backlog 5 is over its high-water mark 5; retry after 7000 ms");
      assertThat(h.store.backlog(pipeline.routes().get(0))).isEqualTo(5);

      Drain.untilIdle(pipeline, h.transport);
      pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("after", 1), null));
      Drain.untilIdle(pipeline, h.transport);
      assertThat(h.coreSaw).hasSize(6);
    }
  }

  @Nested
  @DisplayName("limits")
  class Limits {
    @Test
    @DisplayName(
        "rejects an oversized message with a clear error, records it without its body, and loses nothing else")
    void oversized() {
      start(h.settings().toBuilder().maxPayloadBytes(200).build());
      pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("ok", 1), null));
      String huge = "{\"orderId\":\"big\",\"pad\":\"" + "x".repeat(500) + "\",\"lines\":[]}";
      assertThatThrownBy(
              () -> pipeline.intake(Harness.ORDERS).submit(RawMessage.json(huge, "d-big")))
          .isInstanceOf(RejectedInputException.class)
          .hasMessage(
              "payload of 537 bytes is over route acme-orders's limit of 200 bytes (maxPayloadBytes)");
      Drain.untilIdle(pipeline, h.transport);

      List<Entry> rejected = pipeline.operations().failed(Harness.ORDERS, 10);
      assertThat(rejected)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.status()).isEqualTo(Status.REJECTED);
                assertThat(e.headers())
                    .containsEntry("postoffice-original-size", "537")
                    .containsEntry("postoffice-original-dedup-key", "d-big");
                assertThat(e.lastError())
                    .isEqualTo(
                        "payload of 537 bytes is over route acme-orders's limit of 200 bytes"
                            + " (maxPayloadBytes)");
                assertThat(h.store.find(e.id()).orElseThrow().payload().size()).isZero();
              });
      assertThat(h.coreSaw).hasSize(1);
    }

    @Test
    @DisplayName(
        "stores a batch's good messages and answers one Rejected receipt for an oversized one among them")
    void batchWithOversized() {
      start(h.settings().toBuilder().maxPayloadBytes(200).build());
      String huge = "{\"orderId\":\"big\",\"pad\":\"" + "x".repeat(500) + "\",\"lines\":[]}";
      List<IntakeReceipt> receipts =
          pipeline
              .intake(Harness.ORDERS)
              .submitAll(
                  List.of(
                      RawMessage.json(Models.orderJson("a", 1), "k-a"),
                      RawMessage.json(huge, "k-big"),
                      RawMessage.json(Models.orderJson("b", 1), "k-b")));
      Drain.untilIdle(pipeline, h.transport);

      assertThat(receipts)
          .extracting(IntakeReceipt::isRejected)
          .containsExactly(false, true, false);
      assertThat(receipts.get(1).rejectedReason())
          .isEqualTo(
              "payload of 537 bytes is over route acme-orders's limit of 200 bytes (maxPayloadBytes)");
      assertThat(receipts.get(0).rejectedReason()).isNull();
      Entry rejected = h.store.find(receipts.get(1).entryId()).orElseThrow();
      assertThat(rejected.status()).isEqualTo(Status.REJECTED);
      assertThat(rejected.lastError()).isEqualTo(receipts.get(1).rejectedReason());
      assertThat(pipeline.operations().failed(Harness.ORDERS, 10))
          .singleElement()
          .extracting(Entry::id)
          .isEqualTo(rejected.id());
      assertThat(h.coreSaw).hasSize(2);
    }

    @Test
    @DisplayName(
        "rejects, once its lease expires, an oversized message's stand-in whose node died before marking it"
            + " Rejected, instead of working on it")
    void standInLeftByDeadNode() {
      start(h.settings().toBuilder().leaseDuration(Duration.ofSeconds(30)).build());
      String reason =
          "payload of 537 bytes is over route acme-orders's limit of 200 bytes (maxPayloadBytes)";
      // What a node leaves when it dies between storing a page (with the stand-in) and marking it
      // Rejected.
      EntryId standIn = EntryId.random();
      h.store.intake(
          List.of(
              new NewEntry(
                  standIn,
                  RouteId.of(Harness.ORDERS),
                  Direction.UPSTREAM,
                  Layer.L1,
                  Payload.of(new byte[0], Payload.JSON),
                  Map.of("postoffice-original-size", "537", "postoffice-rejected-reason", reason),
                  null,
                  TraceId.random(),
                  null,
                  "intake",
                  new Lease("node-dead", h.clock.instant().plusSeconds(30)))),
          h.clock.instant());
      Drain.untilIdle(pipeline, h.transport);
      assertThat(h.store.find(standIn).orElseThrow().status()).isEqualTo(Status.JUST_IN);

      h.clock.advance(Duration.ofSeconds(31));
      Drain.untilIdle(pipeline, h.transport);
      Entry entry = h.store.find(standIn).orElseThrow();
      assertThat(entry.status()).isEqualTo(Status.REJECTED);
      assertThat(entry.lastError()).isEqualTo(reason);
      assertThat(h.store.findBySource(standIn)).isEmpty();
    }

    @Test
    @DisplayName("names the known routes when asked for an unknown one")
    void unknownRoute() {
      start(h.settings());
      assertThatThrownBy(() -> pipeline.intake("nope"))
          .isInstanceOf(NoSuchRouteException.class)
          .hasMessageContaining("no route 'nope'")
          .hasMessageContaining("[acme-orders]");
    }

    @Test
    @DisplayName("stores a batch in one call, all or nothing")
    void batch() {
      start(h.settings());
      List<IntakeReceipt> receipts =
          pipeline
              .intake(Harness.ORDERS)
              .submitAll(
                  List.of(
                      RawMessage.json(Models.orderJson("a", 1), "k-a"),
                      RawMessage.json(Models.orderJson("b", 1), "k-a"),
                      new RawMessage(
                          Payload.json(Models.orderJson("c", 1)),
                          java.util.Map.of("X-Event", "order"),
                          null)));
      Drain.untilIdle(pipeline, h.transport);

      assertThat(receipts).hasSize(3);
      assertThat(receipts.get(1).duplicateOf()).isEqualTo(receipts.get(0).entryId());
      assertThat(h.store.find(receipts.get(2).entryId()).orElseThrow().headers())
          .containsEntry("X-Event", "order");
      assertThat(h.coreSaw).hasSize(2);
    }
  }
}
