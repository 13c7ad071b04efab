package dev.postoffice.micrometer.internal;

import dev.postoffice.model.Layer;

/**
 * What one refresh found for a route: per layer, the entries waiting for work and the age of the
 * longest-waiting unfinished entry; and the entries waiting for an operator.
 *
 * @param backlog Just In or Retrying entries, by layer ordinal
 * @param oldestSeconds seconds the longest-waiting unfinished entry has gone without a change, by
 *     layer ordinal; 0 when none waits
 * @param failed Failed entries, all layers
 * @param rejected Rejected entries, all layers
 */
record RouteFigures(long[] backlog, double[] oldestSeconds, long failed, long rejected) {
  /** Figures for a route with nothing in the store. */
  static final RouteFigures NONE =
      new RouteFigures(new long[Layer.values().length], new double[Layer.values().length], 0, 0);
}
