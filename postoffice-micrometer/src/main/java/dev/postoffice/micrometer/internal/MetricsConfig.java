package dev.postoffice.micrometer.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The binder's settings, fixed once built.
 *
 * @param gaugeRefresh how long the store gauges' values are reused before the store is asked again
 * @param percentileHistogram whether timers publish histogram buckets
 * @param percentiles client-side percentiles the timers publish; empty for none
 * @param clock the clock for entry ages and the refresh, the pipeline's own
 * @param storeGauges whether this binder registers the gauges that read the store
 */
public record MetricsConfig(
    Duration gaugeRefresh,
    boolean percentileHistogram,
    List<Double> percentiles,
    Clock clock,
    boolean storeGauges) {
  /** Copies the percentiles. */
  public MetricsConfig {
    percentiles = List.copyOf(percentiles);
  }

  /**
   * Returns the percentiles as Micrometer takes them.
   *
   * @return the percentiles; empty for none
   */
  public double[] percentileArray() {
    return percentiles.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
