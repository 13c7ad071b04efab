package dev.postoffice.micrometer.internal;

import dev.postoffice.core.operator.Operations;
import dev.postoffice.micrometer.MeterNames;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges that need the store: backlog and oldest age per route and layer, failed and rejected
 * per route. A scrape reads a dozen of them in a row, so their values come from one snapshot that
 * one refresh computes (a count by status, then one query per route and layer that has unfinished
 * entries) and that is reused until it is older than the refresh interval: the store is asked at
 * most once per interval, however many gauges and registries read it. Thread-safe.
 */
public final class StoreGauges {
  private static final Logger log = LoggerFactory.getLogger(StoreGauges.class);
  private static final Layer[] LAYERS = Layer.values();

  private final Operations operations;
  private final List<RouteId> routes;
  private final MetricsConfig config;
  private Map<RouteId, RouteFigures> snapshot = Map.of();
  private Instant refreshedAt;
  private Counter refreshFailures;

  /**
   * Prepares the gauges of a pipeline's routes.
   *
   * @param operations the pipeline's operator API
   * @param routes its routes
   * @param config the binder's settings
   */
  public StoreGauges(Operations operations, List<RouteId> routes, MetricsConfig config) {
    this.operations = operations;
    this.routes = List.copyOf(routes);
    this.config = config;
  }

  /**
   * Registers the gauges on a registry.
   *
   * @param registry the registry
   */
  public synchronized void register(MeterRegistry registry) {
    refreshFailures =
        Counter.builder(MeterNames.GAUGE_REFRESH_FAILURES)
            .description("Refreshes of the store gauges that failed; they keep their last values")
            .register(registry);
    for (RouteId route : routes) {
      for (Layer layer : LAYERS) {
        int i = layer.ordinal();
        Gauge.builder(MeterNames.BACKLOG, this, g -> g.figures(route).backlog()[i])
            .description("Entries waiting for work (Just In or Retrying)")
            .tags(MeterNames.TAG_ROUTE, route.value(), MeterNames.TAG_LAYER, layer.name())
            .strongReference(true)
            .register(registry);
        TimeGauge.builder(
                MeterNames.OLDEST_AGE,
                this,
                TimeUnit.SECONDS,
                g -> g.figures(route).oldestSeconds()[i])
            .description("How long the longest-waiting unfinished entry has gone without a change")
            .tags(MeterNames.TAG_ROUTE, route.value(), MeterNames.TAG_LAYER, layer.name())
            .strongReference(true)
            .register(registry);
      }
      perRoute(
          registry,
          MeterNames.FAILED,
          "Failed entries waiting for an operator",
          route,
          g -> g.figures(route).failed());
      perRoute(
          registry,
          MeterNames.REJECTED,
          "Rejected entries waiting for an operator",
          route,
          g -> g.figures(route).rejected());
    }
  }

  private void perRoute(
      MeterRegistry registry,
      String name,
      String description,
      RouteId route,
      ToDoubleFunction<StoreGauges> value) {
    Gauge.builder(name, this, value)
        .description(description)
        .tag(MeterNames.TAG_ROUTE, route.value())
        .strongReference(true)
        .register(registry);
  }

  /** Returns a route's figures, refreshing the snapshot first when it is older than allowed. */
  synchronized RouteFigures figures(RouteId route) {
    Instant now = config.clock().instant();
    if (refreshedAt == null
        || Duration.between(refreshedAt, now).compareTo(config.gaugeRefresh()) >= 0) {
      refresh(now);
    }
    return snapshot.getOrDefault(route, RouteFigures.NONE);
  }

  private void refresh(Instant now) {
    // The next refresh waits a full interval also after a failure: a store that is down is not
    // asked again by every gauge of the same scrape.
    refreshedAt = now;
    try {
      snapshot = read(now);
    } catch (RuntimeException e) {
      refreshFailures.increment();
      log.warn(
          "PostOffice gauges keep their last values: the store did not answer ({})", e.toString());
    }
  }

  private Map<RouteId, RouteFigures> read(Instant now) {
    Map<RouteId, long[]> backlog = new HashMap<>();
    Map<RouteId, long[]> unfinished = new HashMap<>();
    Map<RouteId, long[]> waitingForOperator = new HashMap<>();
    for (RouteId route : routes) {
      backlog.put(route, new long[LAYERS.length]);
      unfinished.put(route, new long[LAYERS.length]);
      waitingForOperator.put(route, new long[2]);
    }
    for (StatusCount c : operations.stats()) {
      if (!backlog.containsKey(c.route())) {
        continue; // another pipeline's route in a shared store
      }
      int layer = c.layer().ordinal();
      if (c.status().isClaimable()) {
        backlog.get(c.route())[layer] += c.count();
      }
      if (!c.status().isTerminal()) {
        unfinished.get(c.route())[layer] += c.count();
      }
      if (c.status() == Status.FAILED) {
        waitingForOperator.get(c.route())[0] += c.count();
      } else if (c.status() == Status.REJECTED) {
        waitingForOperator.get(c.route())[1] += c.count();
      }
    }
    Map<RouteId, RouteFigures> figures = new HashMap<>();
    for (RouteId route : routes) {
      double[] oldest = new double[LAYERS.length];
      for (Layer layer : LAYERS) {
        if (unfinished.get(route)[layer.ordinal()] > 0) {
          oldest[layer.ordinal()] =
              operations
                  .oldestWaiting(route.value(), layer)
                  .map(e -> Math.max(0, Duration.between(e.updatedAt(), now).toMillis()) / 1000.0)
                  .orElse(0.0);
        }
      }
      long[] operator = waitingForOperator.get(route);
      figures.put(route, new RouteFigures(backlog.get(route), oldest, operator[0], operator[1]));
    }
    return figures;
  }
}
