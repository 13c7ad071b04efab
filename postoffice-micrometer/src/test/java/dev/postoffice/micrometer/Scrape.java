package dev.postoffice.micrometer;

import dev.postoffice.event.MessageDeadLettered;
import dev.postoffice.event.MessageRedelivered;
import dev.postoffice.event.PublishFailed;
import dev.postoffice.event.WorkerReplaced;
import dev.postoffice.model.RouteId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus scrape, parsed into samples; and one made after every meter has moved. */
record Scrape(String text, List<Scrape.Sample> samples) {
  record Sample(String name, Map<String, String> labels, double value) {}

  private static final Pattern LINE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  static Scrape parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (line.startsWith("#") || !m.find()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
    }
    return new Scrape(text, samples);
  }

  /** The names of the samples. */
  List<String> names() {
    return samples.stream().map(Sample::name).distinct().toList();
  }

  /** The samples of a name whose labels include the given ones. */
  List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .toList();
  }

  /**
   * Runs the shop pipeline through success, rejection, retry and give-up, adds a replaced worker
   * and the transport's trouble (the events fed by hand), and scrapes.
   *
   * @param histograms whether the binder publishes histogram buckets
   */
  static Scrape afterEveryMeterMoved(boolean histograms) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (ShopPipeline shop =
        new ShopPipeline(registry, PostOfficeMetrics.builder().percentileHistogram(histograms))) {
      shop.startCoreApp();
      shop.stockDown.add("o-3");
      shop.submit("o-1", 1);
      shop.submit("o-2", -1);
      shop.submit("o-3", 3);
      shop.driver.drain();
      shop.clock.advance(Duration.ofMinutes(1));
      shop.driver.drain();

      // The engine replaces a worker only when one dies of an Error in user code, which the shop
      // does not throw: the one event fed by hand. The engine feeds every other meter.
      shop.metrics.onWorkerReplaced(
          new WorkerReplaced(
              RouteId.of(ShopPipeline.ORDERS),
              "translate",
              "po-orders-1",
              "java.lang.StackOverflowError",
              1));
      // The shop's in-memory broker neither refuses a publish nor redelivers, and every message is
      // well formed: the transport's trouble is fed by hand too (core's TransportEventsTest shows
      // the engine reporting it).
      Instant now = shop.clock.instant();
      RouteId orders = RouteId.of(ShopPipeline.ORDERS);
      shop.metrics.onPublishFailed(new PublishFailed(orders, "core.orders", 2, "nacked", now));
      shop.metrics.onMessageDeadLettered(
          new MessageDeadLettered(null, "postoffice-acks", "m-1", "not an acknowledgement", now));
      shop.metrics.onMessageRedelivered(new MessageRedelivered(orders, "core.orders", 2, now));
      registry.scrape(); // the gauges' values, kept through the failed refresh below
      shop.store.down = true;
      shop.clock.advance(Duration.ofMinutes(1));
      registry.scrape(); // a failed refresh, so its counter is in the next scrape
      return parse(registry.scrape());
    }
  }
}
