package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 1 (nothing lost) and the fencing that keeps a rerun from duplicating: a node dies
 * between claim and commit; another node finishes its work once the lease expires; the dead node's
 * late commit changes nothing.
 */
@DisplayName("A node that crashes between claim and commit")
class CrashRecoveryTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("loses nothing and duplicates no output: its entries are finished by another node")
  void crashBetweenClaimAndCommit() throws Exception {
    RouteSettings settings = h.settings().toBuilder().leaseDuration(Duration.ofSeconds(30)).build();
    CountDownLatch crashed = new CountDownLatch(1);
    CountDownLatch zombieMayReturn = new CountDownLatch(1);
    Pipeline dying =
        h.pipeline("node-dying")
            .route(
                h.ordersRoute(
                    order -> {
                      crashed.countDown();
                      try {
                        zombieMayReturn
                            .await(); // the node hangs mid-batch: claimed, worked on, not committed
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return Harness.perLine(order);
                    },
                    settings))
            .build()
            .start();
    for (int i = 0; i < 40; i++) {
      dying.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 2), "d-" + i));
    }
    // One pass: normalize (L1 -> L2, handed over in memory, leased to node-dying), then translate,
    // which hangs.
    Thread zombie = new Thread(dying::runOnce, "zombie");
    zombie.start();
    assertThat(crashed.await(10, TimeUnit.SECONDS)).isTrue();

    Pipeline survivor =
        h.pipeline("node-survivor")
            .route(h.ordersRoute(Harness::perLine, settings))
            .build()
            .start();
    h.startReceiver();
    Drain.untilIdle(survivor, h.transport);
    assertThat(h.coreSaw).as("nothing is taken while the dead node's leases hold").isEmpty();

    h.clock.advance(Duration.ofSeconds(31));
    Drain.untilIdle(survivor, h.transport);
    assertThat(h.coreSaw).hasSize(80);

    zombieMayReturn.countDown(); // the presumed-dead node wakes up and commits late
    zombie.join(10_000);
    Drain.untilIdle(survivor, h.transport);

    List<Entry> l3 = h.store.query(new EntryQuery(null, Layer.L3, Set.of(), null, 1000, false));
    assertThat(l3).hasSize(80).allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.PROCESSED));
    List<Entry> l4 = h.store.query(new EntryQuery(null, Layer.L4, Set.of(), null, 1000, false));
    assertThat(l4)
        .hasSize(80)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.ACKNOWLEDGED));
    assertThat(h.coreSaw.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    List<Entry> l2 = h.store.query(new EntryQuery(null, Layer.L2, Set.of(), null, 1000, false));
    assertThat(l2)
        .hasSize(40)
        .allSatisfy(
            e -> {
              assertThat(e.attempts()).as("claimed once by each node").isEqualTo(2);
              assertThat(e.lease()).isNull();
            });
  }

  @Test
  @DisplayName("that stops gracefully releases its leases so another node can continue at once")
  void gracefulStopReleases() {
    AtomicInteger translated = new AtomicInteger();
    Pipeline first =
        h.pipeline("node-first")
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .build()
            .start();
    for (int i = 0; i < 10; i++) {
      first.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
    }
    first.close(); // the intake handed the entries over in memory, leased to node-first: released
    // now

    Pipeline second =
        h.pipeline("node-second")
            .route(
                h.ordersRoute(
                    order -> {
                      translated.incrementAndGet();
                      return Harness.perLine(order);
                    },
                    h.settings()))
            .build()
            .start();
    h.startReceiver();
    Drain.untilIdle(second, h.transport);

    assertThat(translated).hasValue(10);
    assertThat(h.coreSaw).hasSize(10);
    second.close();
  }
}
