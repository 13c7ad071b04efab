package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.AcmeOrder;
import dev.postoffice.core.support.Models.LineOrdered;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The engine on its own worker threads, as hosts run it; waits are deadlines on observable state, not sleeps. */
@DisplayName("A pipeline running its own threads")
class ThreadedPipelineTest {
  private final Harness h = new Harness();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    release.countDown();
    h.close();
  }

  private Route route(String name, String queue, dev.postoffice.Translator<AcmeOrder, LineOrdered> translator) {
    return Route.upstream(name)
        .normalize(AcmeOrder.class, raw -> Models.validated(h.codec.decode(raw.payload(), AcmeOrder.class)))
        .translate(LineOrdered.class, translator)
        .publishTo(queue)
        .settings(RouteSettings.builder().pollInterval(Duration.ofMillis(20)).build())
        .build();
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  private long count(Pipeline p, String route, Layer layer, Status status) {
    return p.operations().stats().stream()
        .filter(c -> c.route().equals(RouteId.of(route)) && c.layer() == layer && c.status() == status)
        .mapToLong(StatusCount::count).sum();
  }

  @Test
  @DisplayName("carries thousands of messages to Acknowledged, rejecting the malformed ones")
  void thousands() throws Exception {
    Pipeline p = PostOffice.builder().store(h.store).transport(h.transport)
        .route(route(Harness.ORDERS, Harness.ORDERS_QUEUE, Harness::perLine)).build().start();
    h.startReceiver();
    for (int i = 0; i < 2000; i++) {
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
      if (i % 500 == 0) {
        p.intake(Harness.ORDERS).submit(RawMessage.json("{broken", null));
      }
    }
    await("2000 acknowledged", () -> count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED) == 2000);
    assertThat(count(p, Harness.ORDERS, Layer.L1, Status.REJECTED)).isEqualTo(4);
    assertThat(h.coreSaw).hasSize(2000);
    assertThat(p.stop(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  @DisplayName("keeps a healthy route flowing while another route hangs and a third always fails")
  void isolation() throws Exception {
    Pipeline p = PostOffice.builder().store(h.store).transport(h.transport)
        .route(route("hanging", "core.hanging", order -> {
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return List.of();
        }))
        .route(route("failing", "core.failing", order -> {
          throw new IllegalStateException("translator bug");
        }))
        .route(route(Harness.ORDERS, Harness.ORDERS_QUEUE, Harness::perLine))
        .build().start();
    h.startReceiver();
    for (int i = 0; i < 300; i++) {
      p.intake("hanging").submit(RawMessage.json(Models.orderJson("h-" + i, 1), null));
      p.intake("failing").submit(RawMessage.json(Models.orderJson("f-" + i, 1), null));
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
    }
    await("the healthy route is done", () -> count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED) == 300);
    assertThat(count(p, "hanging", Layer.L3, Status.JUST_IN) + count(p, "hanging", Layer.L2, Status.PROCESSED))
        .as("the hanging route is still stuck").isZero();
    await("the failing route retries", () -> count(p, "failing", Layer.L2, Status.RETRYING) == 300);
    assertThat(count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED)).isEqualTo(300);
    release.countDown();
    p.close();
  }
}
