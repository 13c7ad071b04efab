package dev.postoffice.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.event.MessageDeadLettered;
import dev.postoffice.event.MessageRedelivered;
import dev.postoffice.event.PublishFailed;
import dev.postoffice.model.RouteId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The transport meters, driven by calling the listener with events directly. */
@DisplayName("PostOfficeMetrics' transport meters")
class TransportMetersTest {
  static final RouteId ORDERS = RouteId.of("acme-orders");
  static final RouteId SHIPMENTS = RouteId.of("shipments-to-acme");
  static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final PostOfficeMetrics metrics = PostOfficeMetrics.ofDefaults();

  TransportMetersTest() {
    metrics.bindTo(registry);
  }

  /** A counter's count, or null if there is no such counter. */
  Double count(String name, String... tags) {
    Counter counter = registry.find(name).tags(tags).counter();
    return counter == null ? null : counter.count();
  }

  @Nested
  @DisplayName("count failed publishes")
  class Publish {
    @Test
    @DisplayName("by message, per route and destination, without the free-text reason as a tag")
    void perMessage() {
      metrics.onPublishFailed(new PublishFailed(ORDERS, "core.orders", 3, "nacked", AT));
      metrics.onPublishFailed(new PublishFailed(ORDERS, "core.orders", 2, "timeout", AT));
      metrics.onPublishFailed(new PublishFailed(ORDERS, "core.other", 1, "returned", AT));

      assertThat(
              count(
                  MeterNames.PUBLISH_FAILED,
                  MeterNames.TAG_ROUTE,
                  "acme-orders",
                  MeterNames.TAG_DESTINATION,
                  "core.orders"))
          .isEqualTo(5.0);
      assertThat(
              count(
                  MeterNames.PUBLISH_FAILED,
                  MeterNames.TAG_ROUTE,
                  "acme-orders",
                  MeterNames.TAG_DESTINATION,
                  "core.other"))
          .isEqualTo(1.0);
      assertThat(registry.find(MeterNames.PUBLISH_FAILED).counters()).hasSize(2);
      assertThat(registry.find(MeterNames.PUBLISH_FAILED).meters())
          .allSatisfy(
              m ->
                  assertThat(m.getId().getTags())
                      .extracting(t -> t.getKey())
                      .containsExactlyInAnyOrder(MeterNames.TAG_ROUTE, MeterNames.TAG_DESTINATION));
    }
  }

  @Nested
  @DisplayName("count consumed messages")
  class Consumed {
    @Test
    @DisplayName("dead-lettered, per route and queue, the acknowledgement queue's under route acks")
    void deadLettered() {
      metrics.onMessageDeadLettered(
          new MessageDeadLettered(null, "postoffice-acks", "a-1", "malformed", AT));
      metrics.onMessageDeadLettered(
          new MessageDeadLettered(null, "postoffice-acks", "a-2", "malformed", AT));
      metrics.onMessageDeadLettered(
          new MessageDeadLettered(SHIPMENTS, "core.shipments", "s-1", "too big", AT));

      assertThat(
              count(
                  MeterNames.TRANSPORT_DEAD_LETTERED,
                  MeterNames.TAG_ROUTE,
                  MeterNames.ACKS_ROUTE,
                  MeterNames.TAG_QUEUE,
                  "postoffice-acks"))
          .isEqualTo(2.0);
      assertThat(
              count(
                  MeterNames.TRANSPORT_DEAD_LETTERED,
                  MeterNames.TAG_ROUTE,
                  "shipments-to-acme",
                  MeterNames.TAG_QUEUE,
                  "core.shipments"))
          .isEqualTo(1.0);
      assertThat(count(MeterNames.TRANSPORT_REDELIVERIES)).isNull();
    }

    @Test
    @DisplayName("redelivered, one per event whatever its delivery count")
    void redelivered() {
      metrics.onMessageRedelivered(new MessageRedelivered(SHIPMENTS, "core.shipments", 2, AT));
      metrics.onMessageRedelivered(new MessageRedelivered(SHIPMENTS, "core.shipments", 5, AT));
      metrics.onMessageRedelivered(new MessageRedelivered(null, "postoffice-acks", 0, AT));

      assertThat(
              count(
                  MeterNames.TRANSPORT_REDELIVERIES,
                  MeterNames.TAG_ROUTE,
                  "shipments-to-acme",
                  MeterNames.TAG_QUEUE,
                  "core.shipments"))
          .isEqualTo(2.0);
      assertThat(
              count(
                  MeterNames.TRANSPORT_REDELIVERIES,
                  MeterNames.TAG_ROUTE,
                  MeterNames.ACKS_ROUTE,
                  MeterNames.TAG_QUEUE,
                  "postoffice-acks"))
          .isEqualTo(1.0);
      assertThat(count(MeterNames.TRANSPORT_DEAD_LETTERED)).isNull();
    }
  }

  @Test
  @DisplayName("count nothing before a registry is bound")
  void unbound() {
    PostOfficeMetrics unbound = PostOfficeMetrics.ofDefaults();
    unbound.onPublishFailed(new PublishFailed(ORDERS, "core.orders", 1, "nacked", AT));
    unbound.onMessageDeadLettered(new MessageDeadLettered(null, "q", "m", "r", AT));
    unbound.onMessageRedelivered(new MessageRedelivered(null, "q", 2, AT));

    assertThat(registry.getMeters()).extracting(Meter::getId).isEmpty();
  }
}
