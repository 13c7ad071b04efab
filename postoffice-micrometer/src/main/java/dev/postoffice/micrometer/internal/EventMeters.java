package dev.postoffice.micrometer.internal;

import static dev.postoffice.micrometer.internal.StatusCounters.Tags.lower;

import dev.postoffice.event.EntryFailed;
import dev.postoffice.event.MessageDeadLettered;
import dev.postoffice.event.MessageDelivered;
import dev.postoffice.event.MessageRedelivered;
import dev.postoffice.event.PublishConfirmed;
import dev.postoffice.event.PublishFailed;
import dev.postoffice.event.StageFinished;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.event.WorkerReplaced;
import dev.postoffice.micrometer.MeterNames;
import dev.postoffice.model.RouteId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

/**
 * Turns the pipeline's events into counters and timers on one registry. Meters are made on first
 * use and kept by their tag values, so an event costs a map lookup and an increment. Thread-safe.
 */
public final class EventMeters {
  /** Longest latency the histogram buckets cover when they are on; longer ones land in +Inf. */
  private static final Duration MAX_LATENCY = Duration.ofHours(1);

  private final MeterRegistry registry;
  private final MetricsConfig config;
  private final StatusCounters statuses;
  private final ConcurrentMap<List<Object>, Timer> timers = new ConcurrentHashMap<>();
  private final ConcurrentMap<List<Object>, Counter> counters = new ConcurrentHashMap<>();

  /**
   * Makes the meters on a registry.
   *
   * @param registry the registry
   * @param config the binder's settings
   */
  public EventMeters(MeterRegistry registry, MetricsConfig config) {
    this.registry = registry;
    this.config = config;
    this.statuses = new StatusCounters(registry);
  }

  /**
   * Counts a move into a status.
   *
   * @param event the change
   */
  public void statusChanged(StatusChanged event) {
    statuses.count(event);
  }

  /**
   * Times a stage's batch.
   *
   * @param event the batch
   */
  public void stageFinished(StageFinished event) {
    String route = event.route().value();
    String layer = event.layer().name();
    timer(
            List.of(MeterNames.STAGE_DURATION, route, layer, event.stage()),
            k ->
                timer(MeterNames.STAGE_DURATION, "One batch of a stage: user code and commit", null)
                    .tag(MeterNames.TAG_ROUTE, route)
                    .tag(MeterNames.TAG_LAYER, layer)
                    .tag(MeterNames.TAG_STAGE, event.stage()))
        .record(event.duration());
  }

  /**
   * Times a delivery from intake, and upstream the Core App's acknowledgement.
   *
   * @param event the delivery
   */
  public void messageDelivered(MessageDelivered event) {
    String route = event.route().value();
    if (event.sinceIntake() != null) {
      String direction = lower(event.direction());
      timer(
              List.of(MeterNames.DELIVERY_LATENCY, route, direction),
              k ->
                  timer(
                          MeterNames.DELIVERY_LATENCY,
                          "Intake to Acknowledged (upstream) or Dispatched (downstream)",
                          MAX_LATENCY)
                      .tag(MeterNames.TAG_ROUTE, route)
                      .tag(MeterNames.TAG_DIRECTION, direction))
          .record(event.sinceIntake());
    }
    if (event.sinceQueued() != null) {
      timer(
              List.of(MeterNames.ACK_LATENCY, route),
              k ->
                  timer(
                          MeterNames.ACK_LATENCY,
                          "Queued to Acknowledged: how long the Core App took",
                          MAX_LATENCY)
                      .tag(MeterNames.TAG_ROUTE, route))
          .record(event.sinceQueued());
    }
  }

  /**
   * Counts and times a broker's confirms.
   *
   * @param event the confirmed publish
   */
  public void publishConfirmed(PublishConfirmed event) {
    String route = event.route().value();
    String destination = event.destination();
    counter(
            List.of(MeterNames.PUBLISH_CONFIRMED, route, destination),
            k ->
                Counter.builder(MeterNames.PUBLISH_CONFIRMED)
                    .description("Layer-4 messages the broker confirmed")
                    .tag(MeterNames.TAG_ROUTE, route)
                    .tag(MeterNames.TAG_DESTINATION, destination))
        .increment(event.messages());
    timer(
            List.of(MeterNames.PUBLISH_CONFIRM_DURATION, route, destination),
            k ->
                timer(
                        MeterNames.PUBLISH_CONFIRM_DURATION,
                        "One publish call, first byte sent to last confirm",
                        null)
                    .tag(MeterNames.TAG_ROUTE, route)
                    .tag(MeterNames.TAG_DESTINATION, destination))
        .record(event.confirmTime());
  }

  /**
   * Counts the messages of a failed publish call (the reason is free text: not a tag).
   *
   * @param event the failed publish
   */
  public void publishFailed(PublishFailed event) {
    String route = event.route().value();
    String destination = event.destination();
    counter(
            List.of(MeterNames.PUBLISH_FAILED, route, destination),
            k ->
                Counter.builder(MeterNames.PUBLISH_FAILED)
                    .description(
                        "Layer-4 messages a publish call failed for (nack, return, timeout, lost"
                            + " connection)")
                    .tag(MeterNames.TAG_ROUTE, route)
                    .tag(MeterNames.TAG_DESTINATION, destination))
        .increment(event.messages());
  }

  /**
   * Counts a consumed message dead-lettered.
   *
   * @param event the dead letter
   */
  public void messageDeadLettered(MessageDeadLettered event) {
    queueCounter(
            MeterNames.TRANSPORT_DEAD_LETTERED,
            "Consumed messages PostOffice dead-lettered",
            event.route(),
            event.source())
        .increment();
  }

  /**
   * Counts a consumed message the broker delivered before.
   *
   * @param event the redelivery
   */
  public void messageRedelivered(MessageRedelivered event) {
    queueCounter(
            MeterNames.TRANSPORT_REDELIVERIES,
            "Consumed messages the broker delivered before",
            event.route(),
            event.source())
        .increment();
  }

  /** A counter tagged with a route, the acknowledgement queue's for none, and a queue. */
  private Counter queueCounter(String name, String description, RouteId routeId, String queue) {
    String route = routeId == null ? MeterNames.ACKS_ROUTE : routeId.value();
    return counter(
        List.of(name, route, queue),
        k ->
            Counter.builder(name)
                .description(description)
                .tag(MeterNames.TAG_ROUTE, route)
                .tag(MeterNames.TAG_QUEUE, queue));
  }

  /**
   * Counts a replaced worker.
   *
   * @param event the replacement
   */
  public void workerReplaced(WorkerReplaced event) {
    String route = event.route().value();
    counter(
            List.of(MeterNames.WORKERS_REPLACED, route, event.stage()),
            k ->
                Counter.builder(MeterNames.WORKERS_REPLACED)
                    .description("Stage workers that died and were replaced")
                    .tag(MeterNames.TAG_ROUTE, route)
                    .tag(MeterNames.TAG_STAGE, event.stage()))
        .increment();
  }

  /**
   * Counts a stage's failure on an entry.
   *
   * @param event the failure
   */
  public void entryFailed(EntryFailed event) {
    String route = event.route().value();
    String outcome = lower(event.outcome());
    counter(
            List.of(MeterNames.ENTRIES_FAILED, route, event.stage(), outcome),
            k ->
                Counter.builder(MeterNames.ENTRIES_FAILED)
                    .description("A stage's failures on single entries, by what became of them")
                    .tag(MeterNames.TAG_ROUTE, route)
                    .tag(MeterNames.TAG_STAGE, event.stage())
                    .tag(MeterNames.TAG_OUTCOME, outcome))
        .increment();
  }

  private Timer.Builder timer(String name, String description, Duration maxExpected) {
    Timer.Builder builder =
        Timer.builder(name)
            .description(description)
            .publishPercentileHistogram(config.percentileHistogram());
    if (!config.percentiles().isEmpty()) {
      builder.publishPercentiles(config.percentileArray());
    }
    return maxExpected == null ? builder : builder.maximumExpectedValue(maxExpected);
  }

  private Timer timer(List<Object> key, Function<List<Object>, Timer.Builder> make) {
    Timer timer = timers.get(key);
    return timer != null
        ? timer
        : timers.computeIfAbsent(key, k -> make.apply(k).register(registry));
  }

  private Counter counter(List<Object> key, Function<List<Object>, Counter.Builder> make) {
    Counter counter = counters.get(key);
    return counter != null
        ? counter
        : counters.computeIfAbsent(key, k -> make.apply(k).register(registry));
  }
}
