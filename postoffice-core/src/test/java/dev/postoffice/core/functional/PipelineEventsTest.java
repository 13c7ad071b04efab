package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.PermanentFailureException;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Intercepted;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.core.support.RecordingListener;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.event.BacklogSampled;
import dev.postoffice.event.EntryFailed;
import dev.postoffice.event.MessageDelivered;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.PublishConfirmed;
import dev.postoffice.event.StageFinished;
import dev.postoffice.event.StageStarted;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.event.WorkerReplaced;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A pipeline listener's events")
class PipelineEventsTest {
  private final Harness h = new Harness();
  private final RecordingListener recorder =
      new RecordingListener(
          StatusChanged.class,
          MessageDelivered.class,
          PublishConfirmed.class,
          BacklogSampled.class);
  private final List<Pipeline> pipelines = new ArrayList<>();

  @AfterEach
  void tearDown() {
    pipelines.forEach(Pipeline::close);
    h.close();
  }

  private Pipeline track(Pipeline p) {
    pipelines.add(p);
    return p;
  }

  private Pipeline upstream(RouteSettings settings, Clock clock) {
    return track(
        h.pipeline("node-a")
            .clock(clock)
            .listener(recorder)
            .route(h.ordersRoute(Harness::perLine, settings))
            .build()
            .start());
  }

  private List<Entry> stored() {
    return h.store.query(new EntryQuery(null, null, Set.of(), null, 10_000, false));
  }

  private Entry only(Layer layer) {
    return stored().stream().filter(e -> e.layer() == layer).collect(onlyOne());
  }

  private static java.util.stream.Collector<Entry, ?, Entry> onlyOne() {
    return Collectors.collectingAndThen(
        Collectors.toList(),
        list -> {
          assertThat(list).hasSize(1);
          return list.get(0);
        });
  }

  /**
   * Every history row of every stored entry has exactly one StatusChanged, in the same order, with
   * the same move and detail, and every StatusChanged is a history row.
   */
  private void assertEventsMatchHistory() {
    Map<EntryId, List<String>> fromHistory = new LinkedHashMap<>();
    for (Entry e : stored()) {
      fromHistory.put(
          e.id(),
          h.store.history(e.id()).stream()
              .map(r -> RecordingListener.move(r.from(), r.to()) + " " + r.detail())
              .toList());
    }
    Map<EntryId, List<String>> fromEvents = new LinkedHashMap<>();
    for (StatusChanged e : recorder.of(StatusChanged.class)) {
      fromEvents
          .computeIfAbsent(e.entryId(), k -> new ArrayList<>())
          .add(RecordingListener.move(e.from(), e.to()) + " " + e.detail());
    }
    assertThat(fromEvents.keySet()).containsExactlyInAnyOrderElementsOf(fromHistory.keySet());
    fromHistory.forEach(
        (id, rows) -> assertThat(fromEvents.get(id)).as("events of %s", id).isEqualTo(rows));
  }

  @Nested
  @DisplayName("on an upstream route acknowledged by the Core App")
  class Upstream {
    @Test
    @DisplayName(
        "report every status change of every layer's entry in order, one delivery with its"
            + " latencies, and the broker's confirmation")
    void oneMessage() {
      Pipeline p = upstream(h.settings(), Clock.systemUTC());
      h.startReceiver();
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), "d-1"));
      Drain.untilIdle(p, h.transport);

      Map<EntryId, List<String>> moves = recorder.moves();
      assertThat(moves.get(receipt.entryId())).containsExactly("-->JUST_IN", "JUST_IN->PROCESSED");
      assertThat(moves.get(only(Layer.L2).id()))
          .containsExactly("-->JUST_IN", "JUST_IN->PROCESSED");
      assertThat(moves.get(only(Layer.L3).id()))
          .containsExactly("-->JUST_IN", "JUST_IN->PROCESSED");
      Entry l4 = only(Layer.L4);
      assertThat(moves.get(l4.id()))
          .containsExactly("-->JUST_IN", "JUST_IN->QUEUED", "QUEUED->ACKNOWLEDGED");
      assertThat(recorder.of(StatusChanged.class))
          .allSatisfy(
              e -> {
                assertThat(e.traceId()).isEqualTo(receipt.traceId());
                assertThat(e.route().value()).isEqualTo(Harness.ORDERS);
                assertThat(e.direction()).isEqualTo(Direction.UPSTREAM);
                assertThat(e.at()).isNotNull();
              });
      assertEventsMatchHistory();

      assertThat(recorder.of(MessageDelivered.class))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.entryId()).isEqualTo(l4.id());
                assertThat(d.traceId()).isEqualTo(receipt.traceId());
                assertThat(d.direction()).isEqualTo(Direction.UPSTREAM);
                assertThat(d.sinceIntake()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
                assertThat(d.sinceQueued()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
                assertThat(d.sinceQueued()).isLessThanOrEqualTo(d.sinceIntake());
              });
      int delivered = recorder.events.indexOf(recorder.of(MessageDelivered.class).get(0));
      assertThat(recorder.events.get(delivered - 1))
          .as("the delivery follows its status change")
          .isInstanceOfSatisfying(
              StatusChanged.class, c -> assertThat(c.to()).isEqualTo(Status.ACKNOWLEDGED));
      assertThat(recorder.of(PublishConfirmed.class))
          .singleElement()
          .satisfies(
              c -> {
                assertThat(c.destination()).isEqualTo(Harness.ORDERS_QUEUE);
                assertThat(c.messages()).isEqualTo(1);
                assertThat(c.confirmTime()).isGreaterThanOrEqualTo(Duration.ZERO);
              });
      assertThat(recorder.of(BacklogSampled.class))
          .isNotEmpty()
          .allSatisfy(b -> assertThat(b.route().value()).isEqualTo(Harness.ORDERS));
    }

    @Test
    @DisplayName(
        "report the outputs a fused run stores finished as created, then moved, as the history"
            + " has them, with worker threads")
    void threaded() {
      Pipeline p =
          track(
              PostOffice.builder()
                  .nodeId("node-a")
                  .store(h.store)
                  .transport(h.transport)
                  .listener(recorder)
                  .route(h.ordersRoute(Harness::perLine, h.settings()))
                  .build()
                  .start());
      h.startReceiver();
      for (int i = 0; i < 20; i++) {
        p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 2), null));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> recorder.of(MessageDelivered.class).size() == 40);

      assertEventsMatchHistory();
      assertThat(recorder.of(MessageDelivered.class))
          .extracting(MessageDelivered::entryId)
          .doesNotHaveDuplicates();
      assertThat(recorder.of(PublishConfirmed.class).stream().mapToInt(c -> c.messages()).sum())
          .isEqualTo(40);
    }

    @Test
    @DisplayName("report a partner message taken in twice as created Duplicate, never delivered")
    void duplicate() {
      Pipeline p = upstream(h.settings(), h.clock);
      h.startReceiver();
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), "d-1"));
      IntakeReceipt again =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), "d-1"));
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.moves().get(again.entryId())).containsExactly("-->DUPLICATE");
      assertThat(recorder.of(MessageDelivered.class)).hasSize(1);
      assertEventsMatchHistory();
    }

    @Test
    @DisplayName(
        "report a replay of a processed entry by the operator, and its output Superseded, as the"
            + " history has them")
    void replaySupersedes() {
      Pipeline p = upstream(h.settings(), h.clock);
      h.startReceiver();
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
      Drain.untilIdle(p, h.transport);
      EntryId firstL2 = only(Layer.L2).id();

      p.operations().replay(receipt.entryId(), "mapping fixed");
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.moves().get(receipt.entryId()))
          .containsExactly(
              "-->JUST_IN", "JUST_IN->PROCESSED", "PROCESSED->JUST_IN", "JUST_IN->PROCESSED");
      assertThat(recorder.moves().get(firstL2))
          .containsExactly("-->JUST_IN", "JUST_IN->PROCESSED", "PROCESSED->SUPERSEDED");
      assertEventsMatchHistory();
    }

    @Test
    @DisplayName("report a republish, Queued back to Just In, and the acknowledgement after it")
    void republished() {
      RouteSettings settings = h.settings().toBuilder().ackTimeout(Duration.ofMinutes(2)).build();
      Pipeline p = upstream(settings, h.clock);
      CoreAppReceiver<?> lossy =
          CoreAppReceiver.builder(h.transport, h.receipts, Models.LineOrdered.class)
              .from(Harness.ORDERS_QUEUE)
              .ackDestination("lost.acks")
              .clock(h.clock)
              .handler((line, ctx) -> {})
              .build()
              .start();
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
      Drain.untilIdle(p, h.transport);
      lossy.close();
      h.startReceiver();
      h.clock.advance(Duration.ofMinutes(3));
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.moves().get(only(Layer.L4).id()))
          .containsExactly(
              "-->JUST_IN",
              "JUST_IN->QUEUED",
              "QUEUED->JUST_IN",
              "JUST_IN->QUEUED",
              "QUEUED->ACKNOWLEDGED");
      assertThat(recorder.of(MessageDelivered.class)).hasSize(1);
      assertThat(recorder.of(PublishConfirmed.class)).hasSize(2);
      assertEventsMatchHistory();
    }
  }

  @Nested
  @DisplayName("on a downstream route")
  class Downstream {
    @Test
    @DisplayName("report each status change and the dispatch to the partner as the delivery")
    void dispatched() {
      Pipeline p =
          track(
              h.pipeline("node-a")
                  .clock(Clock.systemUTC())
                  .listener(recorder)
                  .route(h.shipmentsRoute(h.settings()))
                  .build()
                  .start());
      CoreAppSender.create(h.transport)
          .send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "1 Main St"))
          .join();
      Drain.untilIdle(p, h.transport);

      Entry l1 = only(Layer.L1);
      assertThat(l1.status()).isEqualTo(Status.DISPATCHED);
      assertThat(recorder.moves().get(only(Layer.L4).id()))
          .containsExactly("-->JUST_IN", "JUST_IN->PROCESSED");
      assertThat(recorder.moves().get(l1.id()))
          .containsExactly("-->JUST_IN", "JUST_IN->DISPATCHED");
      assertThat(recorder.of(MessageDelivered.class))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.entryId()).isEqualTo(l1.id());
                assertThat(d.direction()).isEqualTo(Direction.DOWNSTREAM);
                assertThat(d.sinceIntake()).isNotNull().isGreaterThanOrEqualTo(Duration.ZERO);
                assertThat(d.sinceQueued()).isNull();
              });
      assertThat(recorder.of(PublishConfirmed.class)).isEmpty();
      assertEventsMatchHistory();
    }

    @Test
    @DisplayName("report a message taken in twice as created Duplicate")
    void duplicate() {
      Pipeline p =
          track(
              h.pipeline("node-a")
                  .listener(recorder)
                  .route(h.shipmentsRoute(h.settings()))
                  .build()
                  .start());
      CoreAppSender sender = CoreAppSender.create(h.transport);
      sender.send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "1 Main St")).join();
      Drain.untilIdle(p, h.transport);
      sender.send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "1 Main St")).join();
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.of(StatusChanged.class))
          .filteredOn(e -> e.to() == Status.DUPLICATE)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.from()).isNull();
                assertThat(e.layer()).isEqualTo(Layer.L4);
                assertThat(e.detail()).startsWith("duplicate of ");
              });
      assertThat(recorder.of(MessageDelivered.class)).hasSize(1);
      assertEventsMatchHistory();
    }
  }

  @Nested
  @DisplayName("on failures")
  class Failures {
    @Test
    @DisplayName("report each retry, then Failed when the attempts run out, and no delivery")
    void retryingThenFailed() {
      RouteSettings settings =
          h.settings().toBuilder()
              .retry(RetrySettings.ofDefaults().withMaxAttempts(3).withJitter(0))
              .build();
      Pipeline p =
          track(
              h.pipeline("node-a")
                  .listener(recorder)
                  .route(
                      h.ordersRoute(
                          order -> {
                            throw new IllegalStateException("always down");
                          },
                          settings))
                  .build()
                  .start());
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-f", 1), null));
      for (int i = 0; i < 4; i++) {
        Drain.untilIdle(p, h.transport);
        h.clock.advance(Duration.ofHours(1));
      }

      assertThat(recorder.moves().get(only(Layer.L2).id()))
          .containsExactly(
              "-->JUST_IN", "JUST_IN->RETRYING", "RETRYING->RETRYING", "RETRYING->FAILED");
      assertThat(recorder.of(MessageDelivered.class)).isEmpty();
      assertEventsMatchHistory();
    }

    @Test
    @DisplayName("report a replay by the operator, Failed back to Just In, and what follows")
    void replayed() {
      AtomicBoolean down = new AtomicBoolean(true);
      Pipeline p =
          track(
              h.pipeline("node-a")
                  .listener(recorder)
                  .route(
                      h.ordersRoute(
                          order -> {
                            if (down.get()) {
                              throw new PermanentFailureException("no customer c-1");
                            }
                            return Harness.perLine(order);
                          },
                          h.settings()))
                  .build()
                  .start());
      h.startReceiver();
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-r", 1), null));
      Drain.untilIdle(p, h.transport);
      Entry l2 = only(Layer.L2);
      down.set(false);
      p.operations().replay(l2.id(), "customer created");
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.moves().get(l2.id()))
          .containsExactly(
              "-->JUST_IN", "JUST_IN->FAILED", "FAILED->JUST_IN", "JUST_IN->PROCESSED");
      assertThat(recorder.of(MessageDelivered.class)).hasSize(1);
      assertEventsMatchHistory();
    }

    @Test
    @DisplayName("report a message the normalizer rejects, and an oversized one, as Rejected")
    void rejected() {
      Pipeline p =
          upstream(h.settings().toBuilder().maxPayloadBytes(1_000).build(), Clock.systemUTC());
      IntakeReceipt bad = p.intake(Harness.ORDERS).submit(RawMessage.json("{", null));
      try {
        p.intake(Harness.ORDERS).submit(RawMessage.json("x".repeat(2_000), null));
      } catch (RejectedInputException expected) {
        // answered per message; the stand-in is recorded
      }
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.moves().get(bad.entryId()))
          .containsExactly("-->JUST_IN", "JUST_IN->REJECTED");
      assertThat(recorder.of(StatusChanged.class))
          .filteredOn(e -> e.to() == Status.REJECTED)
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.from()).isEqualTo(Status.JUST_IN));
      assertEventsMatchHistory();
    }

    @Test
    @DisplayName("report nothing for a commit the store refuses, and the change once it applies")
    void refusedCommit() {
      AtomicInteger refusals = new AtomicInteger();
      StatusStore refusing =
          Intercepted.around(
              StatusStore.class,
              h.store,
              (method, args, real) -> {
                if (method.getName().equals("commit") && refusals.get() == 0) {
                  refusals.incrementAndGet();
                  @SuppressWarnings("unchecked")
                  List<Completion> completions = (List<Completion>) args[0];
                  // As when the lease was lost: nothing of the completions is applied.
                  return new CommitResult(
                      List.of(), completions.stream().map(Completion::entryId).toList());
                }
                return real.call();
              });
      Pipeline p =
          track(
              PostOffice.builder()
                  .nodeId("node-a")
                  .store(refusing)
                  .transport(h.transport)
                  .clock(h.clock)
                  .manualScheduling()
                  .listener(recorder)
                  .route(h.ordersRoute(Harness::perLine, h.settings()))
                  .build()
                  .start());
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
      p.runOnce();

      assertThat(refusals).hasValue(1);
      assertThat(recorder.moves()).containsOnlyKeys(receipt.entryId());
      assertThat(recorder.moves().get(receipt.entryId())).containsExactly("-->JUST_IN");

      h.clock.advance(Duration.ofHours(1)); // the lease expires; the entry is claimed again
      Drain.untilIdle(p, h.transport);
      assertThat(recorder.moves().get(receipt.entryId()))
          .containsExactly("-->JUST_IN", "JUST_IN->PROCESSED");
      assertEventsMatchHistory();
    }
  }

  @Test
  @DisplayName("do not stop the pipeline when the listener throws on every one of them")
  void throwingListener() {
    AtomicInteger calls = new AtomicInteger();
    PipelineListener throwing =
        new PipelineListener() {
          private void fail() {
            calls.incrementAndGet();
            throw new IllegalStateException("a broken listener");
          }

          @Override
          public void onStageStarted(StageStarted event) {
            fail();
          }

          @Override
          public void onStageFinished(StageFinished event) {
            fail();
          }

          @Override
          public void onEntryFailed(EntryFailed event) {
            fail();
          }

          @Override
          public void onWorkerReplaced(WorkerReplaced event) {
            fail();
          }

          @Override
          public void onStatusChanged(StatusChanged event) {
            fail();
          }

          @Override
          public void onMessageDelivered(MessageDelivered event) {
            fail();
          }

          @Override
          public void onPublishConfirmed(PublishConfirmed event) {
            fail();
          }

          @Override
          public void onBacklogSampled(BacklogSampled event) {
            fail();
          }
        };
    Pipeline p =
        track(
            h.pipeline("node-a")
                .listener(throwing)
                .route(h.ordersRoute(Harness::perLine, h.settings()))
                .build()
                .start());
    h.startReceiver();
    p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 2), null));
    Drain.untilIdle(p, h.transport);

    assertThat(stored())
        .filteredOn(e -> e.layer() == Layer.L4)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.ACKNOWLEDGED));
    assertThat(calls.get()).isGreaterThan(20);
  }
}
