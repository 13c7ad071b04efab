package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.exchange.CoreAppReceiver;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.LineOrdered;
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

/** Guarantee 2 at the core edge: an unacknowledged message is published again with the same id, and the receiver's handler still runs once. */
@DisplayName("A Queued entry the Core App never acknowledges")
class RepublishTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("is published again with the same id after the timeout, and the core handler runs once")
  void republishedWithSameId() {
    RouteSettings settings = h.settings().toBuilder().ackTimeout(Duration.ofMinutes(2)).build();
    Pipeline pipeline = h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, settings)).build().start();
    AtomicInteger handled = new AtomicInteger();
    // The acknowledgements of this first receiver are lost: they go to a queue nobody reads.
    CoreAppReceiver<LineOrdered> lossy = CoreAppReceiver.builder(h.transport, h.receipts, LineOrdered.class)
        .from(Harness.ORDERS_QUEUE).ackDestination("lost.acks").clock(h.clock)
        .handler((line, ctx) -> handled.incrementAndGet()).build().start();
    pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 3), null));
    Drain.untilIdle(pipeline, h.transport);
    List<Entry> queued = h.store.query(new EntryQuery(null, Layer.L4, Set.of(), null, 10, false));
    assertThat(queued).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.QUEUED));
    assertThat(handled).hasValue(3);

    lossy.close();
    CoreAppReceiver<LineOrdered> fixed = CoreAppReceiver.builder(h.transport, h.receipts, LineOrdered.class)
        .from(Harness.ORDERS_QUEUE).clock(h.clock)
        .handler((line, ctx) -> handled.incrementAndGet()).build().start();
    h.clock.advance(Duration.ofMinutes(1));
    Drain.untilIdle(pipeline, h.transport);
    assertThat(h.store.find(queued.get(0).id()).orElseThrow().status()).as("not before the timeout")
        .isEqualTo(Status.QUEUED);

    h.clock.advance(Duration.ofMinutes(2));
    Drain.untilIdle(pipeline, h.transport);

    for (Entry entry : queued) {
      assertThat(h.store.history(entry.id())).extracting(HistoryRecord::to).containsExactly(
          Status.JUST_IN, Status.QUEUED, Status.JUST_IN, Status.QUEUED, Status.ACKNOWLEDGED);
    }
    assertThat(handled).as("the receiver's dedup absorbed the republished copies").hasValue(3);
    fixed.close();
    pipeline.close();
  }

  @Test
  @DisplayName("ends Failed once it was published the route's maximum number of times")
  void givesUp() {
    RouteSettings settings = h.settings().toBuilder().ackTimeout(Duration.ofMinutes(1))
        .retry(dev.postoffice.core.RetrySettings.ofDefaults().withMaxAttempts(2)).build();
    Pipeline pipeline = h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, settings)).build().start();
    pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
    for (int i = 0; i < 4; i++) {
      Drain.untilIdle(pipeline, h.transport);
      h.clock.advance(Duration.ofMinutes(2));
    }
    Entry l4 = h.store.query(new EntryQuery(null, Layer.L4, Set.of(), null, 10, false)).get(0);
    assertThat(l4.status()).isEqualTo(Status.FAILED);
    assertThat(h.store.history(l4.id())).last().extracting(HistoryRecord::detail)
        .isEqualTo("gave up: no acknowledgement after 2 publish(es)");
    pipeline.close();
  }
}
