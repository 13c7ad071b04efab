package dev.postoffice.micrometer;

import dev.postoffice.micrometer.internal.MetricsConfig;
import dev.postoffice.micrometer.internal.Require;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link PostOfficeMetrics}. Not thread-safe; {@link #build()} copies the settings.
 *
 * <pre>{@code
 * PostOfficeMetrics metrics =
 *     PostOfficeMetrics.builder().gaugeRefresh(Duration.ofSeconds(30)).percentileHistogram(true).build();
 * }</pre>
 */
public final class PostOfficeMetricsBuilder {
  /** How long the store gauges reuse one refresh, unless set. */
  public static final Duration DEFAULT_GAUGE_REFRESH = Duration.ofSeconds(10);

  /** The shortest gauge refresh accepted. */
  public static final Duration MIN_GAUGE_REFRESH = Duration.ofMillis(1);

  /** The longest gauge refresh accepted. */
  public static final Duration MAX_GAUGE_REFRESH = Duration.ofHours(1);

  private Duration gaugeRefresh = DEFAULT_GAUGE_REFRESH;
  private boolean percentileHistogram;
  private final List<Double> percentiles = new ArrayList<>();
  private Clock clock = Clock.systemUTC();
  private boolean storeGauges = true;

  PostOfficeMetricsBuilder() {}

  /**
   * Sets how long the store gauges (backlog, oldest age, failed, rejected) reuse the values of one
   * refresh: the store is asked at most once per interval, however often it is scraped.
   *
   * @param value the interval; default {@link #DEFAULT_GAUGE_REFRESH}
   * @return this builder
   * @throws IllegalArgumentException if not between {@link #MIN_GAUGE_REFRESH} and {@link
   *     #MAX_GAUGE_REFRESH}
   */
  public PostOfficeMetricsBuilder gaugeRefresh(Duration value) {
    this.gaugeRefresh =
        Require.between(value, MIN_GAUGE_REFRESH, MAX_GAUGE_REFRESH, "gaugeRefresh");
    return this;
  }

  /**
   * Sets whether the timers publish histogram buckets, from which a backend computes percentiles
   * across instances ({@code histogram_quantile} in Prometheus). Each bucket is a time series.
   *
   * @param value true to publish them; default false
   * @return this builder
   */
  public PostOfficeMetricsBuilder percentileHistogram(boolean value) {
    this.percentileHistogram = value;
    return this;
  }

  /**
   * Sets percentiles the timers compute on this instance (they cannot be aggregated across
   * instances; prefer {@link #percentileHistogram(boolean)} with Prometheus).
   *
   * @param values each between 0 and 1, such as 0.5, 0.95, 0.99; default none
   * @return this builder
   * @throws IllegalArgumentException if a value is not between 0 and 1
   */
  public PostOfficeMetricsBuilder percentiles(double... values) {
    percentiles.clear();
    for (double p : Require.nonNull(values, "percentiles")) {
      percentiles.add(Require.between(p, 0.0, 1.0, "percentile"));
    }
    return this;
  }

  /**
   * Sets the clock that entry ages are measured on and the refresh is timed by: pass the pipeline's
   * clock when it has its own.
   *
   * @param value the clock; default the system clock in UTC
   * @return this builder
   */
  public PostOfficeMetricsBuilder clock(Clock value) {
    this.clock = Require.nonNull(value, "clock");
    return this;
  }

  /**
   * Sets whether this binder registers the gauges that read the store (backlog, oldest age, failed,
   * rejected). Their values are store-wide, the same on every node: with many nodes on one large
   * store, turn them on for a few nodes only and the counters and timers stay on all of them.
   *
   * @param value false for the event meters only; default true
   * @return this builder
   */
  public PostOfficeMetricsBuilder storeGauges(boolean value) {
    this.storeGauges = value;
    return this;
  }

  /**
   * Builds the binder.
   *
   * @return the binder, neither attached nor bound
   */
  public PostOfficeMetrics build() {
    return new PostOfficeMetrics(
        new MetricsConfig(gaugeRefresh, percentileHistogram, percentiles, clock, storeGauges));
  }
}
