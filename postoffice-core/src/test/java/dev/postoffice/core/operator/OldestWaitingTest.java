package dev.postoffice.core.operator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Operations.oldestWaiting")
class OldestWaitingTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("finds the unfinished entry of a route and layer that changed longest ago, or none")
  void oldestUnfinished() {
    Pipeline p = h.pipeline("node-a").route(h.ordersRoute(Harness::perLine, h.settings())).build();
    p.start();
    Operations ops = p.operations();
    IntakeReceipt first =
        p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
    h.clock.advance(Duration.ofSeconds(5));
    p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-2", 1), null));

    assertThat(ops.oldestWaiting(Harness.ORDERS, Layer.L1))
        .get()
        .satisfies(
            e -> {
              assertThat(e.id()).isEqualTo(first.entryId());
              assertThat(e.payload()).isNull();
            });
    assertThat(ops.oldestWaiting(Harness.ORDERS, Layer.L2)).isEmpty();

    Drain.untilIdle(p, h.transport); // no Core App: the layer-4 entries stay Queued

    assertThat(ops.oldestWaiting(Harness.ORDERS, Layer.L1)).isEmpty();
    assertThat(ops.oldestWaiting(Harness.ORDERS, Layer.L4))
        .get()
        .extracting(Entry::status)
        .isEqualTo(Status.QUEUED);
    p.close();
  }
}
