package dev.postoffice.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.DispatchResult;
import dev.postoffice.PartnerRequest;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.core.operator.TracedEntry;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.testkit.PipelineDriver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The binder on a real in-memory pipeline: the meters fed by the engine's events (checked against
 * the store's history, nothing fed by hand), and the gauges that read the store.
 */
@DisplayName("PostOfficeMetrics on a running pipeline")
class PipelineMetricsTest {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final ShopPipeline shop =
      new ShopPipeline(registry, PostOfficeMetrics.builder().gaugeRefresh(Duration.ofSeconds(10)));

  @AfterEach
  void tearDown() {
    shop.close();
  }

  RequiredSearch meter(String name, String... tags) {
    return registry.get(name).tags("route", ShopPipeline.ORDERS).tags(tags);
  }

  double gauge(String name, String... tags) {
    return meter(name, tags).gauge().value();
  }

  double age(String layer) {
    return meter(MeterNames.OLDEST_AGE, "layer", layer).timeGauge().value(TimeUnit.SECONDS);
  }

  /** Moves past the refresh interval, so the next read asks the store again. */
  void nextRefresh() {
    shop.clock.advance(Duration.ofSeconds(10));
  }

  @Nested
  @DisplayName("from the engine's events")
  class Events {
    @Test
    @DisplayName("times every batch of every stage, per route, layer and stage")
    void stageBatches() {
      shop.startCoreApp();
      shop.submit("o-1", 1);
      shop.submit("o-2", 2);
      shop.driver.drain();

      assertThat(registry.find(MeterNames.STAGE_DURATION).timers())
          .extracting(t -> t.getId().getTag("layer") + " " + t.getId().getTag("stage"))
          .contains("L1 normalize", "L2 translate", "L4 publish");
      assertThat(meter(MeterNames.STAGE_DURATION, "layer", "L1").timer().count()).isPositive();
    }

    @Test
    @DisplayName("counts a rejected input, and a retried entry that is then given up, by stage")
    void failurePaths() {
      shop.stockDown.add("o-2");
      shop.submit("o-1", -1); // rejected by the normalizer
      shop.submit("o-2", 2); // the translator fails transiently
      shop.driver.drain();

      assertThat(
              meter(MeterNames.ENTRIES_FAILED, "stage", "normalize", "outcome", "rejected")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(
              meter(MeterNames.ENTRIES_FAILED, "stage", "translate", "outcome", "retrying")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(gauge(MeterNames.REJECTED)).isEqualTo(1);
      assertThat(gauge(MeterNames.FAILED)).isZero();
      assertThat(gauge(MeterNames.BACKLOG, "layer", "L2")).isEqualTo(1); // Retrying

      shop.clock.advance(Duration.ofMinutes(1)); // the retry is due, and the gauges refresh
      shop.driver.drain();

      assertThat(
              meter(MeterNames.ENTRIES_FAILED, "stage", "translate", "outcome", "failed")
                  .counter()
                  .count())
          .isEqualTo(1);
      nextRefresh();
      assertThat(gauge(MeterNames.FAILED)).isEqualTo(1);
      assertThat(gauge(MeterNames.BACKLOG, "layer", "L2")).isZero();
    }
  }

  @Nested
  @DisplayName("fed by the engine, with nothing fed by hand")
  class FedByTheEngine {
    @BeforeEach
    void runTheShop() {
      shop.startCoreApp();
      shop.stockDown.add("o-3");
      shop.submit("o-1", 1);
      shop.submit("o-1", 1); // the same delivery again: a duplicate
      shop.submit("o-2", -1); // rejected
      shop.submit("o-3", 3); // retried, then given up
      shop.submit("o-4", 4);
      shop.driver.drain();
      shop.clock.advance(Duration.ofMinutes(1));
      shop.driver.drain();
    }

    @Test
    @DisplayName("count every move into a status that the store's history records")
    void entriesMatchTheHistory() {
      Map<String, Long> history = historyRows();

      assertThat(history)
          .containsEntry("upstream L1 duplicate", 1L)
          .containsEntry("upstream L1 rejected", 1L)
          .containsEntry("upstream L2 failed", 1L)
          .containsEntry("upstream L4 acknowledged", 2L);
      assertThat(counted(MeterNames.ENTRIES)).isEqualTo(history);
    }

    @Test
    @DisplayName("time the delivery of each acknowledged entry, and the Core App's part of it")
    void deliveries() {
      long acknowledged = historyRows().get("upstream L4 acknowledged");

      assertThat(meter(MeterNames.DELIVERY_LATENCY, "direction", "upstream").timer().count())
          .isEqualTo(acknowledged);
      assertThat(meter(MeterNames.ACK_LATENCY).timer().count()).isEqualTo(acknowledged);
    }

    @Test
    @DisplayName("count the messages the broker confirmed, per destination")
    void confirms() {
      long queued = historyRows().get("upstream L4 queued");

      assertThat(queued).isEqualTo(2);
      assertThat(
              meter(MeterNames.PUBLISH_CONFIRMED, "destination", ShopPipeline.QUEUE)
                  .counter()
                  .count())
          .isEqualTo(queued);
      assertThat(
              meter(MeterNames.PUBLISH_CONFIRM_DURATION, "destination", ShopPipeline.QUEUE)
                  .timer()
                  .count())
          .isPositive();
    }

    /** The store's history rows of the route, by direction, layer and status moved into. */
    Map<String, Long> historyRows() {
      Set<TraceId> traces = new HashSet<>();
      shop.store
          .query(
              new EntryQuery(RouteId.of(ShopPipeline.ORDERS), null, Set.of(), null, 1_000, false))
          .forEach(e -> traces.add(e.traceId()));
      Map<String, Long> rows = new TreeMap<>();
      for (TraceId trace : traces) {
        for (TracedEntry traced : shop.pipeline.operations().trace(trace).entries()) {
          Entry e = traced.entry();
          for (HistoryRecord h : traced.history()) {
            rows.merge(lower(e.direction()) + " " + e.layer() + " " + lower(h.to()), 1L, Long::sum);
          }
        }
      }
      return rows;
    }

    /** The counters of a name, by their direction, layer and status tags. */
    Map<String, Long> counted(String name) {
      Map<String, Long> counts = new TreeMap<>();
      for (Counter c : registry.find(name).tag("route", ShopPipeline.ORDERS).counters()) {
        counts.put(
            c.getId().getTag("direction")
                + " "
                + c.getId().getTag("layer")
                + " "
                + c.getId().getTag("status"),
            (long) c.count());
      }
      return counts;
    }
  }

  @Nested
  @DisplayName("fed by the engine on a downstream route")
  class Downstream {
    final SimpleMeterRegistry own = new SimpleMeterRegistry();
    final PostOfficeMetrics metrics = PostOfficeMetrics.builder().clock(shop.clock).build();
    final InMemoryStatusStore store = InMemoryStatusStore.create();
    final InMemoryTransport transport = InMemoryTransport.create();
    final Pipeline pipeline =
        PostOffice.builder()
            .nodeId("node-2")
            .store(store)
            .transport(transport)
            .clock(shop.clock)
            .manualScheduling()
            .listener(metrics)
            .route(
                Route.downstream("shipments")
                    .consumeFrom("core.shipments", String.class)
                    .translate(String.class, order -> List.of(order))
                    .normalize(
                        order ->
                            PartnerRequest.post(
                                URI.create("https://acme.example/shipments"),
                                Payload.json("{\"order\":\"" + order + "\"}")))
                    .dispatchWith((request, context) -> DispatchResult.of(204))
                    .settings(RouteSettings.builder().linger(Duration.ZERO).build())
                    .build())
            .build()
            .start();

    @AfterEach
    void close() {
      pipeline.close();
      transport.close();
    }

    @Test
    @DisplayName("time the delivery of each dispatched entry, with no Core App part")
    void dispatched() {
      metrics.attach(pipeline).bindTo(own);
      CoreAppSender sender = CoreAppSender.create(transport);
      for (int i = 1; i <= 3; i++) {
        sender.send("core.shipments", "m-" + i, "o-" + i).join();
      }
      PipelineDriver.of(pipeline, transport).drain();

      int dispatched =
          store.query(EntryQuery.of(RouteId.of("shipments"), 100, Status.DISPATCHED)).size();
      assertThat(dispatched).isEqualTo(3);
      assertThat(
              own.get(MeterNames.DELIVERY_LATENCY)
                  .tags("route", "shipments", "direction", "downstream")
                  .timer()
                  .count())
          .isEqualTo(dispatched);
      assertThat(
              own.get(MeterNames.ENTRIES)
                  .tags("route", "shipments", "layer", "L1", "status", "dispatched")
                  .counter()
                  .count())
          .isEqualTo(dispatched);
      assertThat(own.find(MeterNames.ACK_LATENCY).timers()).isEmpty();
    }
  }

  @Nested
  @DisplayName("from the store, through the operator API")
  class Gauges {
    @Test
    @DisplayName("show the backlog and the age of the oldest waiting entry per layer")
    void backlogAndAge() {
      shop.submit("o-1", 1);
      shop.submit("o-2", 2);
      shop.clock.advance(Duration.ofSeconds(30));

      assertThat(gauge(MeterNames.BACKLOG, "layer", "L1")).isEqualTo(2);
      assertThat(age("L1")).isEqualTo(30);
      assertThat(age("L4")).isZero();

      shop.driver.drain(); // published, but no Core App yet: Queued at L4
      shop.clock.advance(Duration.ofSeconds(90));

      assertThat(gauge(MeterNames.BACKLOG, "layer", "L1")).isZero();
      assertThat(age("L1")).isZero();
      assertThat(age("L4")).isEqualTo(90);

      shop.startCoreApp();
      shop.driver.drain(); // acknowledged
      nextRefresh();

      assertThat(age("L4")).isZero();
    }

    @Test
    @DisplayName("ask the store once per refresh, however many gauges a scrape reads")
    void cached() {
      shop.submit("o-1", 1);
      int counts = shop.store.counts.get();
      int queries = shop.store.queries.get();

      for (int scrape = 0; scrape < 5; scrape++) {
        registry.getMeters().forEach(PipelineMetricsTest::read);
      }
      assertThat(shop.store.counts.get() - counts).isEqualTo(1);
      // one query for the only route and layer with unfinished entries (L1), none for the rest
      assertThat(shop.store.queries.get() - queries).isEqualTo(1);

      shop.clock.advance(Duration.ofSeconds(9));
      registry.getMeters().forEach(PipelineMetricsTest::read);
      assertThat(shop.store.counts.get() - counts).isEqualTo(1);

      shop.clock.advance(Duration.ofSeconds(1));
      registry.getMeters().forEach(PipelineMetricsTest::read);
      assertThat(shop.store.counts.get() - counts).isEqualTo(2);
    }

    @Test
    @DisplayName("keep their last values and count the failure when the store does not answer")
    void storeDown() {
      shop.submit("o-1", 1);
      assertThat(gauge(MeterNames.BACKLOG, "layer", "L1")).isEqualTo(1);
      shop.store.down = true;
      nextRefresh();
      int counts = shop.store.counts.get();

      registry.getMeters().forEach(PipelineMetricsTest::read);
      registry.getMeters().forEach(PipelineMetricsTest::read);

      assertThat(gauge(MeterNames.BACKLOG, "layer", "L1")).isEqualTo(1);
      assertThat(shop.store.counts.get() - counts)
          .as("not asked again within the interval")
          .isOne();
      assertThat(registry.get(MeterNames.GAUGE_REFRESH_FAILURES).counter().count()).isEqualTo(1);

      shop.store.down = false;
      shop.driver.drain();
      nextRefresh();
      assertThat(gauge(MeterNames.BACKLOG, "layer", "L1")).isZero();
    }

    @Test
    @DisplayName("exist for every route and layer once the pipeline is attached, in either order")
    void attachOrder() {
      SimpleMeterRegistry other = new SimpleMeterRegistry();
      PostOfficeMetrics late = PostOfficeMetrics.ofDefaults();
      late.bindTo(other);
      assertThat(other.find(MeterNames.BACKLOG).gauges()).isEmpty();

      late.attach(shop.pipeline);

      assertThat(other.find(MeterNames.BACKLOG).gauges()).hasSize(4);
      assertThat(other.find(MeterNames.OLDEST_AGE).timeGauges()).hasSize(4);
      assertThat(other.find(MeterNames.FAILED).gauges()).hasSize(1);
      assertThat(other.find(MeterNames.REJECTED).gauges()).hasSize(1);
    }

    @Test
    @DisplayName("are left out, and the store never asked, when the builder turns them off")
    void turnedOff() {
      SimpleMeterRegistry other = new SimpleMeterRegistry();
      PostOfficeMetrics eventsOnly = PostOfficeMetrics.builder().storeGauges(false).build();
      int counts = shop.store.counts.get();

      eventsOnly.attach(shop.pipeline).bindTo(other);
      other.getMeters().forEach(PipelineMetricsTest::read);

      assertThat(other.getMeters()).isEmpty();
      assertThat(shop.store.counts.get()).isEqualTo(counts);
    }

    @Test
    @DisplayName("belong to one pipeline: attaching another is refused with a hint")
    void onePipeline() {
      try (var other =
          PostOffice.builder()
              .nodeId("node-2")
              .store(InMemoryStatusStore.create())
              .transport(InMemoryTransport.create())
              .manualScheduling()
              .route(shopRoute())
              .build()) {
        assertThatThrownBy(() -> shop.metrics.attach(other))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("one PostOfficeMetrics per pipeline");
      }
    }
  }

  private static Route shopRoute() {
    return Route.upstream("other")
        .normalize(String.class, raw -> "x")
        .translate(String.class, s -> List.of(s))
        .publishTo("core.other")
        .build();
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static void read(Meter meter) {
    meter.measure().forEach(m -> m.getValue());
  }
}
