package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Intercepted;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.AcmeOrder;
import dev.postoffice.core.support.Models.LineOrdered;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.StageStarted;
import dev.postoffice.event.WorkerReplaced;
import dev.postoffice.model.Layer;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A stage keeps its workers whatever kills one, and resumes promptly once its store is back. */
@DisplayName("A stage's workers")
class WorkerSurvivalTest {
  private final Harness h = new Harness();
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    h.close();
  }

  private Route route(Duration pollInterval) {
    return Route.upstream(Harness.ORDERS)
        .normalize(
            AcmeOrder.class,
            raw -> Models.validated(h.codec.decode(raw.payload(), AcmeOrder.class)))
        .translate(LineOrdered.class, Harness::perLine)
        .publishTo(Harness.ORDERS_QUEUE)
        // A short lease: what a dead worker held is claimed again soon.
        .settings(
            RouteSettings.builder()
                .concurrency(1)
                .pollInterval(pollInterval)
                .leaseDuration(Duration.ofSeconds(1))
                .confirmTimeout(Duration.ofMillis(500))
                .build())
        .build();
  }

  @Test
  @DisplayName(
      "are replaced when one dies of an Error outside user code, and the replacement is reported")
  void replacedAfterAnError() {
    AtomicInteger errorsLeft = new AtomicInteger(2);
    List<WorkerReplaced> replaced = new CopyOnWriteArrayList<>();
    PipelineListener listener =
        new PipelineListener() {
          @Override
          public void onStageStarted(StageStarted event) {
            if (errorsLeft.getAndDecrement() > 0) {
              throw new StackOverflowError("simulated: a listener ran out of stack");
            }
          }

          @Override
          public void onWorkerReplaced(WorkerReplaced event) {
            replaced.add(event);
          }
        };
    pipeline =
        PostOffice.builder()
            .store(h.store)
            .transport(h.transport)
            .listener(listener)
            .route(route(Duration.ofMillis(20)))
            .build()
            .start();
    h.startReceiver();

    for (int i = 0; i < 20; i++) {
      pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
    }

    Awaitility.await("every order reaches the Core App")
        .atMost(Duration.ofSeconds(30))
        .until(() -> h.coreSaw.size() == 20);
    assertThat(replaced)
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(
            e -> {
              assertThat(e.route().value()).isEqualTo(Harness.ORDERS);
              assertThat(e.cause()).contains("StackOverflowError").contains("simulated");
            });
    assertThat(replaced).extracting(WorkerReplaced::replacements).contains(1L, 2L);
  }

  @Test
  @DisplayName("resume within about a second once the store is back, however long it was away")
  void resumePromptlyAfterAnOutage() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger normalizeClaimsRefused = new AtomicInteger();
    StatusStore flaky =
        Intercepted.around(
            StatusStore.class,
            h.store,
            (method, args, real) -> {
              if (down.get()) {
                if (method.getName().equals("claim")
                    && ((ClaimRequest) args[0]).layer() == Layer.L1) {
                  normalizeClaimsRefused.incrementAndGet();
                }
                throw new StoreUnavailableException("injected: database unreachable", null);
              }
              return real.call();
            });
    pipeline =
        PostOffice.builder()
            .store(flaky)
            .transport(h.transport)
            .route(route(Duration.ofMillis(50)))
            .build()
            .start();
    h.startReceiver();

    // Eight refused claims of the normalize worker: a back-off doubling from 50 ms would now pause
    // 6.4 s.
    Awaitility.await("the normalize worker refused eight times")
        .atMost(Duration.ofSeconds(30))
        .until(() -> normalizeClaimsRefused.get() >= 8);
    down.set(false);
    long back = System.nanoTime();
    pipeline.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-after", 1), null));
    Awaitility.await("the order reaches the Core App")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> h.coreSaw.size() == 1);

    // At most a one-second pause plus the work on a busy machine; the old doubling pause left up to
    // 6.4 s.
    assertThat(Duration.ofNanos(System.nanoTime() - back)).isLessThan(Duration.ofMillis(4_000));
  }
}
