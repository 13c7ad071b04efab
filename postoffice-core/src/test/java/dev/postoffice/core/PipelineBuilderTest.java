package dev.postoffice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.ConfigurationException;
import dev.postoffice.Ingestor;
import dev.postoffice.Intake;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models.AcmeOrder;
import dev.postoffice.core.support.Models.LineOrdered;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PipelineBuilder")
class PipelineBuilderTest {
  private final Harness h = new Harness();

  @Test
  @DisplayName("reports every configuration problem at once, each with its path and a hint")
  void collectsAllErrors() {
    Route badName =
        Route.upstream("Acme Orders")
            .normalize(AcmeOrder.class, raw -> null)
            .translate(LineOrdered.class, Harness::perLine)
            .publishTo("core.orders")
            .build();
    Route missingStages =
        Route.upstream("partial")
            .normalize(AcmeOrder.class, null)
            .translate(LineOrdered.class, null)
            .publishTo(" ")
            .build();

    assertThatThrownBy(
            () ->
                PostOffice.builder()
                    .route(badName)
                    .route(missingStages)
                    .ingestor("nowhere", intake -> {})
                    .shutdownTimeout(Duration.ofHours(2))
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "store cannot be null [Hint: pass InMemoryStatusStore.create() for tests, or a JdbcStatusStore"
                            + " from postoffice-jdbc-store to .store(...)]",
                        "transport cannot be null: every route exchanges messages with the Core App [Hint: pass"
                            + " InMemoryTransport.create() for tests, or add postoffice-rabbit-transport or"
                            + " postoffice-sqs-transport and pass it to .transport(...)]",
                        "shutdownTimeout: shutdownTimeout must be between PT0S and PT1H, but was PT2H",
                        "route[Acme Orders]: route must be 1 to 100 characters of [a-z0-9._-] starting with a letter or"
                            + " digit, but was 'Acme Orders'",
                        "route[partial] L2: normalizer cannot be null",
                        "route[partial] L3: translator cannot be null",
                        "route[partial] L4: destination cannot be null or blank",
                        "ingestor for route[nowhere]: no such route; known routes: [Acme Orders, partial]"))
        .hasMessageStartingWith("invalid PostOffice configuration (8 errors):");
  }

  @Test
  @DisplayName("checks the operator settings: pause refresh interval and bulk replay rate")
  void operatorSettings() {
    assertThatThrownBy(
            () ->
                h.pipeline("n")
                    .pauseRefreshInterval(Duration.ofMinutes(2))
                    .bulkReplayRate(0)
                    .route(h.ordersRoute(Harness::perLine, h.settings()))
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "pauseRefreshInterval: pauseRefreshInterval must be between PT0S and PT1M, but"
                            + " was PT2M",
                        "bulkReplayRate: bulkReplayRate must be between 1 and 10000, but was 0"));
  }

  @Test
  @DisplayName("refuses two routes with one name and an ingestor on a downstream route")
  void duplicateRoutes() {
    assertThatThrownBy(
            () ->
                h.pipeline("n")
                    .route(h.ordersRoute(Harness::perLine, h.settings()))
                    .route(h.ordersRoute(Harness::perLine, h.settings()))
                    .route(h.shipmentsRoute(h.settings()))
                    .ingestor(Harness.SHIPMENTS, intake -> {})
                    .build())
        .isInstanceOfSatisfying(
            ConfigurationException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "route[acme-orders] is defined twice; route names must be unique",
                        "ingestor for route[shipments-to-acme]: the route is downstream; ingestors feed upstream routes"));
  }

  @Test
  @DisplayName("checks route settings eagerly, naming the property, the rule and the value")
  void settingsChecks() {
    assertThatThrownBy(() -> RouteSettings.builder().batchSize(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be between 1 and 10000, but was 0");
    assertThatThrownBy(() -> RouteSettings.builder().confirmTimeout(Duration.ofMinutes(5)).build())
        .hasMessage("confirmTimeout must be between PT0.01S and PT1M, but was PT5M");
    assertThatThrownBy(() -> RetrySettings.ofDefaults().withMaxAttempts(0))
        .hasMessage("maxAttempts must be between 1 and 1000, but was 0");
    assertThat(RouteSettings.ofDefaults().batchSize()).isEqualTo(RouteSettings.DEFAULT_BATCH_SIZE);
  }

  @Test
  @DisplayName("starts ingestors with their route's intake and closes them on stop")
  void ingestorLifecycle() {
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Ingestor ingestor =
        new Ingestor() {
          @Override
          public void start(Intake intake) {
            events.add("start " + intake.route());
          }

          @Override
          public void close() {
            events.add("close");
          }
        };
    Pipeline p =
        PostOffice.builder()
            .store(InMemoryStatusStore.create())
            .transport(InMemoryTransport.create())
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .ingestor(Harness.ORDERS, ingestor)
            .build()
            .start();
    p.close();
    assertThat(events).containsExactly("start acme-orders", "close");
    assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("offers runOnce only under manual scheduling")
  void runOnceNeedsManual() {
    Pipeline p =
        PostOffice.builder()
            .store(InMemoryStatusStore.create())
            .transport(InMemoryTransport.create())
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .build()
            .start();
    assertThatThrownBy(p::runOnce)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(".manualScheduling()");
    p.close();
  }
}
