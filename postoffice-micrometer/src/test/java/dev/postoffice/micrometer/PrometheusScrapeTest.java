package dev.postoffice.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A Prometheus scrape")
class PrometheusScrapeTest {
  static final Scrape SCRAPE = Scrape.afterEveryMeterMoved(true);

  void has(String name, Map<String, String> labels) {
    assertThat(SCRAPE.find(name, labels))
        .as("%s%s in%n%s", name, labels, SCRAPE.text())
        .isNotEmpty();
  }

  @Nested
  @DisplayName("renders the counters with _total")
  class Counters {
    @Test
    @DisplayName("entries moved into a status, by route, direction, layer and status")
    void entries() {
      has(
          "postoffice_entries_total",
          Map.of(
              "route", "orders", "direction", "upstream", "layer", "L4", "status", "acknowledged"));
    }

    @Test
    @DisplayName(
        "failed entries by stage and outcome, confirms, replaced workers, failed refreshes")
    void others() {
      has(
          "postoffice_entries_failed_total",
          Map.of("route", "orders", "stage", "normalize", "outcome", "rejected"));
      has(
          "postoffice_entries_failed_total",
          Map.of("route", "orders", "stage", "translate", "outcome", "retrying"));
      has(
          "postoffice_entries_failed_total",
          Map.of("route", "orders", "stage", "translate", "outcome", "failed"));
      has(
          "postoffice_publish_confirmed_total",
          Map.of("route", "orders", "destination", "core.orders"));
      has("postoffice_workers_replaced_total", Map.of("route", "orders", "stage", "translate"));
      has("postoffice_gauges_refresh_failures_total", Map.of());
    }
  }

  @Nested
  @DisplayName("renders the timers in seconds")
  class Timers {
    @Test
    @DisplayName("with _count, _sum, _max and, when asked for, _bucket")
    void timers() {
      for (String suffix : new String[] {"_count", "_sum", "_max", "_bucket"}) {
        has(
            "postoffice_stage_duration_seconds" + suffix,
            Map.of("route", "orders", "layer", "L2", "stage", "translate"));
        has(
            "postoffice_delivery_latency_seconds" + suffix,
            Map.of("route", "orders", "direction", "upstream"));
        has("postoffice_ack_latency_seconds" + suffix, Map.of("route", "orders"));
        has(
            "postoffice_publish_confirm_duration_seconds" + suffix,
            Map.of("route", "orders", "destination", "core.orders"));
      }
    }

    @Test
    @DisplayName("without buckets by default")
    void noBucketsByDefault() {
      assertThat(Scrape.afterEveryMeterMoved(false).names())
          .contains("postoffice_stage_duration_seconds_count")
          .noneMatch(name -> name.endsWith("_bucket"));
    }
  }

  @Nested
  @DisplayName("renders the gauges")
  class Gauges {
    @Test
    @DisplayName(
        "backlog and oldest age in seconds per route and layer, failed and rejected per route")
    void gauges() {
      for (String layer : new String[] {"L1", "L2", "L3", "L4"}) {
        has("postoffice_backlog", Map.of("route", "orders", "layer", layer));
        has("postoffice_oldest_age_seconds", Map.of("route", "orders", "layer", layer));
      }
      assertThat(SCRAPE.find("postoffice_failed", Map.of("route", "orders")))
          .singleElement()
          .extracting(Scrape.Sample::value)
          .isEqualTo(1.0);
      assertThat(SCRAPE.find("postoffice_rejected", Map.of("route", "orders")))
          .singleElement()
          .extracting(Scrape.Sample::value)
          .isEqualTo(1.0);
    }
  }

  @Test
  @DisplayName("has no label that could carry an id")
  void boundedLabels() {
    assertThat(SCRAPE.samples())
        .filteredOn(s -> s.name().startsWith("postoffice_"))
        .flatExtracting(s -> s.labels().keySet())
        .containsOnly(
            "route",
            "direction",
            "layer",
            "status",
            "stage",
            "outcome",
            "destination",
            "queue",
            "le");
  }
}
