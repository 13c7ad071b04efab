package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.LineOrdered;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 2 at the core edge: an unacknowledged message is published again with the same id, and
 * the receiver's handler still runs once.
 */
@DisplayName("A Queued entry the Core App never acknowledges")
class RepublishTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName(
      "is published again with the same id after the timeout, and the core handler runs once")
  void republishedWithSameId() {
    RouteSettings settings = h.settings().toBuilder().ackTimeout(Duration.ofMinutes(2)).build();
    Pipeline pipeline =
        h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, settings)).build().start();
    AtomicInteger handled = new AtomicInteger();
    // The acknowledgements of this first receiver are lost: they go to a queue nobody reads.
    CoreAppReceiver<LineOrdered> lossy =
        CoreAppReceiver.builder(h.transport, h.receipts, LineOrdered.class)
            .from(Harness.ORDERS_QUEUE)
            .ackDestination("lost.acks")
            .clock(h.clock)
            .handler((line, ctx) -> handled.incrementAndGet())
            .build()
            .start();
    pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 3), null));
    Drain.untilIdle(pipeline, h.transport);
    List<Entry> queued = h.store.query(new EntryQuery(null, Layer.L4, Set.of(), null, 10, false));
    assertThat(queued).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.QUEUED));
    assertThat(handled).hasValue(3);

    lossy.close();
    CoreAppReceiver<LineOrdered> fixed =
        CoreAppReceiver.builder(h.transport, h.receipts, LineOrdered.class)
            .from(Harness.ORDERS_QUEUE)
            .clock(h.clock)
            .handler((line, ctx) -> handled.incrementAndGet())
            .build()
            .start();
    h.clock.advance(Duration.ofMinutes(1));
    Drain.untilIdle(pipeline, h.transport);
    assertThat(h.store.find(queued.get(0).id()).orElseThrow().status())
        .as("not before the timeout")
        .isEqualTo(Status.QUEUED);

    h.clock.advance(Duration.ofMinutes(2));
    Drain.untilIdle(pipeline, h.transport);

    for (Entry entry : queued) {
      assertThat(h.store.history(entry.id()))
          .extracting(HistoryRecord::to)
          .containsExactly(
              Status.JUST_IN, Status.QUEUED, Status.JUST_IN, Status.QUEUED, Status.ACKNOWLEDGED);
    }
    assertThat(handled).as("the receiver's dedup absorbed the republished copies").hasValue(3);
    fixed.close();
    pipeline.close();
  }

  /** When each republish of an entry happened: the history rows that moved it back to Just In. */
  private List<java.time.Instant> republishes(Entry entry) {
    return h.store.history(entry.id()).stream()
        .filter(r -> r.to() == Status.JUST_IN && r.from() == Status.QUEUED)
        .map(HistoryRecord::at)
        .toList();
  }

  @Test
  @DisplayName(
      "is published again past the route's maximum attempts, with waits that double up to the cap, and"
          + " is acknowledged once the Core App is back (issue 16, defect 4)")
  void keepsPublishingWithGrowingWaits() {
    RouteSettings settings =
        h.settings().toBuilder()
            .ackTimeout(Duration.ofMinutes(1))
            .retry(
                RetrySettings.ofDefaults()
                    .withMaxAttempts(2)
                    .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(4)))
            .build();
    Pipeline pipeline =
        h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, settings)).build().start();
    pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
    // The Core App is down for 20 minutes: nobody consumes the queue.
    for (int step = 0; step < 40; step++) {
      Drain.untilIdle(pipeline, h.transport);
      h.clock.advance(Duration.ofSeconds(30));
    }
    Drain.untilIdle(pipeline, h.transport);
    Entry l4 = h.store.query(new EntryQuery(null, Layer.L4, Set.of(), null, 10, false)).get(0);
    assertThat(h.store.find(l4.id()).orElseThrow().status())
        .as("never given up")
        .isEqualTo(Status.QUEUED);
    List<java.time.Instant> times = republishes(l4);
    List<Duration> gaps = new java.util.ArrayList<>();
    gaps.add(
        Duration.between(
            h.store.history(l4.id()).stream()
                .filter(r -> r.to() == Status.QUEUED)
                .findFirst()
                .orElseThrow()
                .at(),
            times.get(0)));
    for (int i = 1; i < times.size(); i++) {
      gaps.add(Duration.between(times.get(i - 1), times.get(i)));
    }
    assertThat(gaps)
        .as("waits before each republish: ackTimeout doubling, capped at maxBackoff")
        .containsExactly(
            Duration.ofMinutes(1),
            Duration.ofMinutes(2),
            Duration.ofMinutes(4),
            Duration.ofMinutes(4),
            Duration.ofMinutes(4),
            Duration.ofMinutes(4));
    assertThat(h.transport.queued(Harness.ORDERS_QUEUE))
        .as("one copy per publish")
        .isEqualTo(times.size() + 1);

    h.startReceiver();
    Drain.untilIdle(pipeline, h.transport);
    assertThat(h.store.find(l4.id()).orElseThrow().status()).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(h.coreSaw.get(l4.id().value()))
        .as("the core's handler ran once for all the copies")
        .hasValue(1);
    pipeline.close();
  }

  @Test
  @DisplayName(
      "that the Core App rejects ends Rejected with its reason and is not published again (issue 16,"
          + " defect 4)")
  void rejectedByTheCoreApp() {
    RouteSettings settings = h.settings().toBuilder().ackTimeout(Duration.ofMinutes(1)).build();
    Pipeline pipeline =
        h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, settings)).build().start();
    AtomicInteger handled = new AtomicInteger();
    CoreAppReceiver<LineOrdered> receiver =
        CoreAppReceiver.builder(h.transport, h.receipts, LineOrdered.class)
            .from(Harness.ORDERS_QUEUE)
            .clock(h.clock)
            .handler(
                (line, ctx) -> {
                  handled.incrementAndGet();
                  throw new RejectedInputException("unknown sku " + line.sku());
                })
            .build()
            .start();
    pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
    for (int step = 0; step < 10; step++) {
      Drain.untilIdle(pipeline, h.transport);
      h.clock.advance(Duration.ofMinutes(1));
    }
    Entry l4 = h.store.query(new EntryQuery(null, Layer.L4, Set.of(), null, 10, false)).get(0);
    Entry after = h.store.find(l4.id()).orElseThrow();
    assertThat(after.status()).isEqualTo(Status.REJECTED);
    assertThat(after.lastError()).startsWith("rejected by the Core App: unknown sku ");
    assertThat(republishes(l4)).as("not published again").isEmpty();
    assertThat(handled).hasValue(1);
    assertThat(h.transport.queued(h.transport.deadLetterDestination(Harness.ORDERS_QUEUE)))
        .isEqualTo(1);
    receiver.close();
    pipeline.close();
  }
}
