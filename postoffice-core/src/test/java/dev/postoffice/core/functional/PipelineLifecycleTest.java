package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.Ingestor;
import dev.postoffice.Intake;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Intercepted;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Starting and stopping a pipeline that runs its own threads, when parts of it fail or hang. */
@DisplayName("A pipeline's lifecycle")
class PipelineLifecycleTest {
  private final Harness h = new Harness();
  private final CountDownLatch hang = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    hang.countDown();
    h.close();
  }

  private static long workerThreads(String route) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("postoffice-" + route + "-"))
        .count();
  }

  @Test
  @DisplayName(
      "a start that fails half-way stops what it started (workers, consumers) and rethrows; it cannot"
          + " be started again")
  void failedStartStopsEverything() {
    List<Subscription> open = new CopyOnWriteArrayList<>();
    AtomicInteger subscribed = new AtomicInteger();
    Transport transport =
        Intercepted.around(
            Transport.class,
            h.transport,
            (method, args, real) -> {
              if (!method.getName().equals("subscribe")) {
                return real.call();
              }
              subscribed.incrementAndGet();
              Subscription subscription = (Subscription) real.call();
              open.add(subscription);
              return (Subscription)
                  () -> {
                    open.remove(subscription);
                    subscription.close();
                  };
            });
    Ingestor broken =
        new Ingestor() {
          @Override
          public void start(Intake intake) {
            throw new IllegalStateException("port 8080 is already in use");
          }
        };
    Pipeline p =
        PostOffice.builder()
            .store(h.store)
            .transport(transport)
            .route(
                h.ordersRoute(
                    Harness::perLine,
                    RouteSettings.builder().pollInterval(Duration.ofMillis(20)).build()))
            .route(
                h.shipmentsRoute(
                    RouteSettings.builder().pollInterval(Duration.ofMillis(20)).build()))
            .ingestor(Harness.ORDERS, broken)
            .build();

    assertThatThrownBy(p::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("port 8080 is already in use");

    assertThat(subscribed)
        .as("subscriptions made before the failure")
        .hasValueGreaterThanOrEqualTo(2);
    assertThat(open).as("subscriptions still open").isEmpty();
    assertThat(workerThreads(Harness.ORDERS)).as("live workers of " + Harness.ORDERS).isZero();
    assertThat(workerThreads(Harness.SHIPMENTS))
        .as("live workers of " + Harness.SHIPMENTS)
        .isZero();
    assertThatThrownBy(p::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("failed to start");
    p.close(); // nothing left to do, and no error
  }

  @Test
  @Timeout(30) // a regression must fail, not hang the build
  @DisplayName(
      "stop(timeout) returns by its deadline when the store stops answering, and says it gave up")
  void stopIsBounded() throws Exception {
    CountDownLatch storeCalled = new CountDownLatch(1);
    StatusStore blackHoled =
        Intercepted.around(
            StatusStore.class,
            h.store,
            (method, args, real) -> {
              if (method.getName().equals("claim") || method.getName().equals("release")) {
                storeCalled.countDown();
                hang.await(); // a database that accepted the statement and never answers
                // (socketTimeout 0)
              }
              return real.call();
            });
    Pipeline p =
        PostOffice.builder()
            .store(blackHoled)
            .transport(h.transport)
            .route(
                h.ordersRoute(
                    Harness::perLine,
                    RouteSettings.builder().pollInterval(Duration.ofMillis(20)).build()))
            .build()
            .start();
    assertThat(storeCalled.await(10, TimeUnit.SECONDS)).isTrue();

    long started = System.nanoTime();
    boolean clean = p.stop(Duration.ofSeconds(1));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(clean).isFalse();
    assertThat(took).isLessThan(Duration.ofMillis(2_000));
  }
}
