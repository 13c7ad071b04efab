package dev.postoffice.micrometer;

/**
 * The names of the meters {@link PostOfficeMetrics} publishes, in Micrometer's dotted form. A
 * Prometheus registry renders them with underscores and Micrometer's suffixes: a counter gets
 * {@code _total}, a timer {@code _seconds_count}, {@code _seconds_sum}, {@code _seconds_max} (and
 * {@code _seconds_bucket} with histograms on), a time gauge {@code _seconds}. Tag values are
 * bounded: route names, layers ({@code L1} to {@code L4}), directions, statuses, stage names and
 * destinations, never entry or trace ids.
 */
public final class MeterNames {
  /** Counter: entries that moved into a status. Tags: route, direction, layer, status. */
  public static final String ENTRIES = "postoffice.entries";

  /** Counter: a stage's failures on single entries. Tags: route, stage, outcome. */
  public static final String ENTRIES_FAILED = "postoffice.entries.failed";

  /** Timer: one batch of a stage, user code and commit. Tags: route, layer, stage. */
  public static final String STAGE_DURATION = "postoffice.stage.duration";

  /**
   * Timer: intake to the end of the route (Acknowledged upstream, Dispatched downstream). Tags:
   * route, direction.
   */
  public static final String DELIVERY_LATENCY = "postoffice.delivery.latency";

  /** Timer: Queued to Acknowledged, how long the Core App took. Tags: route. */
  public static final String ACK_LATENCY = "postoffice.ack.latency";

  /** Counter: layer-4 messages the broker confirmed. Tags: route, destination. */
  public static final String PUBLISH_CONFIRMED = "postoffice.publish.confirmed";

  /** Timer: one publish call, first byte to last confirm. Tags: route, destination. */
  public static final String PUBLISH_CONFIRM_DURATION = "postoffice.publish.confirm.duration";

  /**
   * Counter: layer-4 messages a publish call failed for (broker nack, return, no confirm in time,
   * connection lost); they are published again. Tags: route, destination.
   */
  public static final String PUBLISH_FAILED = "postoffice.publish.failed";

  /**
   * Counter: consumed messages PostOffice dead-lettered (malformed acknowledgements, downstream
   * messages it cannot take). Tags: route ({@link #ACKS_ROUTE} for the acknowledgement queue),
   * queue.
   */
  public static final String TRANSPORT_DEAD_LETTERED = "postoffice.transport.dead.lettered";

  /**
   * Counter: consumed messages the broker delivered before. Tags: route ({@link #ACKS_ROUTE} for
   * the acknowledgement queue), queue.
   */
  public static final String TRANSPORT_REDELIVERIES = "postoffice.transport.redeliveries";

  /** Counter: stage workers that died and were replaced. Tags: route, stage. */
  public static final String WORKERS_REPLACED = "postoffice.workers.replaced";

  /** Gauge (cached): entries waiting for work, Just In or Retrying. Tags: route, layer. */
  public static final String BACKLOG = "postoffice.backlog";

  /**
   * Time gauge (cached), seconds: how long the longest-waiting unfinished entry (Just In, Retrying
   * or Queued) has gone without a status change; 0 when none waits. Tags: route, layer.
   */
  public static final String OLDEST_AGE = "postoffice.oldest.age";

  /** Gauge (cached): Failed entries waiting for an operator. Tags: route. */
  public static final String FAILED = "postoffice.failed";

  /** Gauge (cached): Rejected entries waiting for an operator. Tags: route. */
  public static final String REJECTED = "postoffice.rejected";

  /** Counter: refreshes of the cached gauges that failed (the store did not answer). No tags. */
  public static final String GAUGE_REFRESH_FAILURES = "postoffice.gauges.refresh.failures";

  /** Tag: the route's name. */
  public static final String TAG_ROUTE = "route";

  /** Tag: {@code upstream} or {@code downstream}. */
  public static final String TAG_DIRECTION = "direction";

  /** Tag: {@code L1} to {@code L4}. */
  public static final String TAG_LAYER = "layer";

  /** Tag: the status moved into, lower case: {@code just_in}, {@code acknowledged}, … */
  public static final String TAG_STATUS = "status";

  /** Tag: the stage's name: {@code normalize}, {@code translate}, {@code publish}, … */
  public static final String TAG_STAGE = "stage";

  /** Tag: what became of a failed entry: {@code retrying}, {@code failed}, {@code rejected}. */
  public static final String TAG_OUTCOME = "outcome";

  /** Tag: the queue or topic published to. */
  public static final String TAG_DESTINATION = "destination";

  /** Tag: the queue or topic consumed from. */
  public static final String TAG_QUEUE = "queue";

  /**
   * The route tag's value for the acknowledgement queue, which all upstream routes share (no route
   * is named {@code acks} by it: a tag value, not a route).
   */
  public static final String ACKS_ROUTE = "acks";

  private MeterNames() {}
}
