package dev.postoffice.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.event.EntryFailed;
import dev.postoffice.event.MessageDelivered;
import dev.postoffice.event.PublishConfirmed;
import dev.postoffice.event.StageFinished;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.event.WorkerReplaced;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The event meters, driven by calling the listener with events directly (the engine's own events
 * are covered end to end in {@link PipelineMetricsTest}).
 */
@DisplayName("PostOfficeMetrics as a listener")
class PostOfficeMetricsTest {
  static final RouteId ORDERS = RouteId.of("acme-orders");
  static final RouteId SHIPMENTS = RouteId.of("shipments-to-acme");
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final PostOfficeMetrics metrics = bound(PostOfficeMetrics.ofDefaults());

  PostOfficeMetrics bound(PostOfficeMetrics binder) {
    binder.bindTo(registry);
    return binder;
  }

  static StatusChanged changed(
      RouteId route, Direction direction, Layer layer, Status from, Status to) {
    return new StatusChanged(
        EntryId.random(), TraceId.random(), route, direction, layer, from, to, null, AT);
  }

  static MessageDelivered delivered(
      RouteId route, Direction direction, Duration sinceIntake, Duration sinceQueued) {
    return new MessageDelivered(
        EntryId.random(), TraceId.random(), route, direction, sinceIntake, sinceQueued, AT);
  }

  double entries(String route, String direction, String layer, String status) {
    var counter =
        registry
            .find(MeterNames.ENTRIES)
            .tags("route", route, "direction", direction, "layer", layer, "status", status)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Nested
  @DisplayName("counts status changes")
  class StatusChanges {
    @Test
    @DisplayName("per route, direction, layer and the status moved into")
    void perTags() {
      metrics.onStatusChanged(changed(ORDERS, Direction.UPSTREAM, Layer.L1, null, Status.JUST_IN));
      metrics.onStatusChanged(changed(ORDERS, Direction.UPSTREAM, Layer.L1, null, Status.JUST_IN));
      metrics.onStatusChanged(
          changed(ORDERS, Direction.UPSTREAM, Layer.L1, Status.JUST_IN, Status.PROCESSED));
      metrics.onStatusChanged(
          changed(ORDERS, Direction.UPSTREAM, Layer.L4, Status.QUEUED, Status.ACKNOWLEDGED));
      metrics.onStatusChanged(
          changed(SHIPMENTS, Direction.DOWNSTREAM, Layer.L1, Status.RETRYING, Status.DISPATCHED));

      assertThat(entries("acme-orders", "upstream", "L1", "just_in")).isEqualTo(2);
      assertThat(entries("acme-orders", "upstream", "L1", "processed")).isEqualTo(1);
      assertThat(entries("acme-orders", "upstream", "L4", "acknowledged")).isEqualTo(1);
      assertThat(entries("shipments-to-acme", "downstream", "L1", "dispatched")).isEqualTo(1);
      assertThat(registry.find(MeterNames.ENTRIES).counters()).hasSize(4);
    }

    @Test
    @DisplayName("counts retries and failures as moves into Retrying, Failed and Rejected")
    void failurePaths() {
      metrics.onStatusChanged(
          changed(ORDERS, Direction.UPSTREAM, Layer.L2, Status.JUST_IN, Status.RETRYING));
      metrics.onStatusChanged(
          changed(ORDERS, Direction.UPSTREAM, Layer.L2, Status.RETRYING, Status.RETRYING));
      metrics.onStatusChanged(
          changed(ORDERS, Direction.UPSTREAM, Layer.L2, Status.RETRYING, Status.FAILED));
      metrics.onStatusChanged(
          changed(ORDERS, Direction.UPSTREAM, Layer.L1, Status.JUST_IN, Status.REJECTED));

      assertThat(entries("acme-orders", "upstream", "L2", "retrying")).isEqualTo(2);
      assertThat(entries("acme-orders", "upstream", "L2", "failed")).isEqualTo(1);
      assertThat(entries("acme-orders", "upstream", "L1", "rejected")).isEqualTo(1);
    }

    @Test
    @DisplayName("does not count events that arrive before a registry is bound")
    void beforeBinding() {
      PostOfficeMetrics unbound = PostOfficeMetrics.ofDefaults();
      unbound.onStatusChanged(changed(ORDERS, Direction.UPSTREAM, Layer.L1, null, Status.JUST_IN));
      unbound.bindTo(registry);
      unbound.onStatusChanged(changed(ORDERS, Direction.UPSTREAM, Layer.L1, null, Status.JUST_IN));

      assertThat(entries("acme-orders", "upstream", "L1", "just_in")).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("times")
  class Timers {
    @Test
    @DisplayName("each stage batch per route, layer and stage")
    void stageBatches() {
      metrics.onStageFinished(
          new StageFinished(ORDERS, Layer.L2, "translate", 50, 0, Duration.ofMillis(40)));
      metrics.onStageFinished(
          new StageFinished(ORDERS, Layer.L2, "translate", 10, 2, Duration.ofMillis(20)));

      Timer timer =
          registry
              .get(MeterNames.STAGE_DURATION)
              .tags("route", "acme-orders", "layer", "L2", "stage", "translate")
              .timer();
      assertThat(timer.count()).isEqualTo(2);
      assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(60);
    }

    @Test
    @DisplayName("delivery from intake per route and direction, and the Core App's acknowledgement")
    void deliveries() {
      metrics.onMessageDelivered(
          delivered(ORDERS, Direction.UPSTREAM, Duration.ofSeconds(3), Duration.ofSeconds(1)));
      metrics.onMessageDelivered(
          delivered(SHIPMENTS, Direction.DOWNSTREAM, Duration.ofSeconds(5), null));

      assertThat(
              registry
                  .get(MeterNames.DELIVERY_LATENCY)
                  .tags("route", "acme-orders", "direction", "upstream")
                  .timer()
                  .totalTime(TimeUnit.SECONDS))
          .isEqualTo(3);
      assertThat(
              registry
                  .get(MeterNames.DELIVERY_LATENCY)
                  .tags("route", "shipments-to-acme", "direction", "downstream")
                  .timer()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get(MeterNames.ACK_LATENCY)
                  .tags("route", "acme-orders")
                  .timer()
                  .totalTime(TimeUnit.SECONDS))
          .isEqualTo(1);
      assertThat(registry.find(MeterNames.ACK_LATENCY).tags("route", "shipments-to-acme").timer())
          .isNull();
    }

    @Test
    @DisplayName("nothing when the engine could not tell the latency")
    void unknownLatency() {
      metrics.onMessageDelivered(delivered(ORDERS, Direction.UPSTREAM, null, null));

      assertThat(registry.find(MeterNames.DELIVERY_LATENCY).timers()).isEmpty();
      assertThat(registry.find(MeterNames.ACK_LATENCY).timers()).isEmpty();
    }

    @Test
    @DisplayName(
        "with percentiles only when the builder asks for them (buckets: PrometheusScrapeTest)")
    void percentiles() {
      SimpleMeterRegistry other = new SimpleMeterRegistry();
      PostOfficeMetrics withPercentiles =
          PostOfficeMetrics.builder().percentileHistogram(true).percentiles(0.5, 0.99).build();
      withPercentiles.bindTo(other);
      StageFinished batch =
          new StageFinished(ORDERS, Layer.L1, "normalize", 1, 0, Duration.ofMillis(5));
      withPercentiles.onStageFinished(batch);
      metrics.onStageFinished(batch);

      var on = other.get(MeterNames.STAGE_DURATION).timer().takeSnapshot();
      var off = registry.get(MeterNames.STAGE_DURATION).timer().takeSnapshot();
      assertThat(on.percentileValues()).hasSize(2);
      assertThat(off.percentileValues()).isEmpty();
    }
  }

  @Nested
  @DisplayName("counts the transport's and the engine's trouble")
  class Transport {
    @Test
    @DisplayName("confirmed messages and the time to confirm, per route and destination")
    void confirms() {
      metrics.onPublishConfirmed(
          new PublishConfirmed(ORDERS, "core.orders", 20, Duration.ofMillis(8), AT));
      metrics.onPublishConfirmed(
          new PublishConfirmed(ORDERS, "core.orders", 5, Duration.ofMillis(2), AT));

      assertThat(
              registry
                  .get(MeterNames.PUBLISH_CONFIRMED)
                  .tags("route", "acme-orders", "destination", "core.orders")
                  .counter()
                  .count())
          .isEqualTo(25);
      Timer confirm =
          registry
              .get(MeterNames.PUBLISH_CONFIRM_DURATION)
              .tags("route", "acme-orders", "destination", "core.orders")
              .timer();
      assertThat(confirm.count()).isEqualTo(2);
      assertThat(confirm.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(10);
    }

    @Test
    @DisplayName("replaced workers and failed entries, by stage, never by entry")
    void workersAndFailures() {
      metrics.onWorkerReplaced(
          new WorkerReplaced(
              ORDERS, "translate", "po-orders-1", "java.lang.StackOverflowError", 1));
      metrics.onEntryFailed(
          new EntryFailed(ORDERS, EntryId.random(), "translate", Status.RETRYING, "timeout"));
      metrics.onEntryFailed(
          new EntryFailed(ORDERS, EntryId.random(), "translate", Status.RETRYING, "timeout"));

      assertThat(
              registry
                  .get(MeterNames.WORKERS_REPLACED)
                  .tags("route", "acme-orders", "stage", "translate")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get(MeterNames.ENTRIES_FAILED)
                  .tags("route", "acme-orders", "stage", "translate", "outcome", "retrying")
                  .counter()
                  .count())
          .isEqualTo(2);
      assertThat(registry.getMeters())
          .allSatisfy(
              m ->
                  assertThat(m.getId().getTags())
                      .extracting(t -> t.getKey())
                      .doesNotContain("entry", "entryId", "trace", "thread"));
    }
  }

  @Nested
  @DisplayName("binds")
  class Binding {
    @Test
    @DisplayName("to one registry: the same again does nothing, another is refused with a hint")
    void oneRegistry() {
      metrics.bindTo(registry);

      assertThatThrownBy(() -> metrics.bindTo(new SimpleMeterRegistry()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("CompositeMeterRegistry");
    }

    @Test
    @DisplayName("with settings checked as they are set")
    void settings() {
      assertThatThrownBy(() -> PostOfficeMetrics.builder().gaugeRefresh(Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("gaugeRefresh must be between PT0.001S and PT1H, but was PT0S");
      assertThatThrownBy(() -> PostOfficeMetrics.builder().percentiles(0.5, 1.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("percentile must be between 0.0 and 1.0, but was 1.5");
      assertThatThrownBy(() -> PostOfficeMetrics.builder().clock(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("clock cannot be null");
    }
  }
}
