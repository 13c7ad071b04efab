package dev.postoffice.spring.boot;

import dev.postoffice.core.Pipeline;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The pipeline's health for Spring Boot's actuator ({@code /actuator/health/postoffice}): DOWN when
 * the store or the transport does not answer, else UP, with per-route details.
 *
 * <ul>
 *   <li>{@code store}: whether the status counts could be read (one grouped query);
 *   <li>{@code transport}: whether the acknowledgement queue could be declared (idempotent; on
 *       RabbitMQ a declaration on the transport's connection, on SQS one {@code CreateQueue} call),
 *       or {@code unknown} when the application's pipeline was not built from a single {@code
 *       Transport} bean;
 *   <li>{@code routes}: per route its {@code backlog} (entries waiting to be worked on, all layers)
 *       and {@code oldestWaiting}, how long the unfinished entry that has waited longest has gone
 *       without a status change (ISO-8601, such as {@code PT42S}).
 * </ul>
 *
 * <p>A backlog is not a failure: alert on it from the metrics. Thread-safe.
 */
public final class PostOfficeHealthIndicator extends AbstractHealthIndicator {
  private final Pipeline pipeline;
  private final Transport transport;
  private final String ackDestination;
  private final Clock clock;

  /**
   * Creates the indicator.
   *
   * @param pipeline the pipeline whose store is read through its operator API
   * @param transport the pipeline's transport, or null if unknown (then it is not checked)
   * @param ackDestination the queue whose declaration checks the transport
   * @param clock the clock ages are measured on
   * @throws NullPointerException if pipeline, ackDestination or clock is null
   */
  public PostOfficeHealthIndicator(
      Pipeline pipeline, Transport transport, String ackDestination, Clock clock) {
    super("PostOffice health check failed");
    this.pipeline = Objects.requireNonNull(pipeline, "pipeline cannot be null");
    this.transport = transport;
    this.ackDestination = Objects.requireNonNull(ackDestination, "ackDestination cannot be null");
    this.clock = Objects.requireNonNull(clock, "clock cannot be null");
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean up = true;
    Map<String, Object> routes = new LinkedHashMap<>();
    try {
      routes = routes(pipeline.operations().stats());
      builder.withDetail("store", "UP");
    } catch (RuntimeException e) {
      up = false;
      builder.withDetail("store", "DOWN: " + e);
    }
    if (transport == null) {
      builder.withDetail("transport", "unknown");
    } else {
      try {
        transport.declare(ackDestination);
        builder.withDetail("transport", "UP");
      } catch (RuntimeException e) {
        up = false;
        builder.withDetail("transport", "DOWN: " + e);
      }
    }
    builder.withDetail("nodeId", pipeline.nodeId()).withDetail("routes", routes);
    if (up) {
      builder.up();
    } else {
      builder.down();
    }
  }

  private Map<String, Object> routes(List<StatusCount> counts) {
    Instant now = clock.instant();
    Map<String, Object> details = new LinkedHashMap<>();
    for (RouteId route : pipeline.routes()) {
      long backlog = 0;
      boolean[] unfinished = new boolean[Layer.values().length];
      for (StatusCount c : counts) {
        if (!c.route().equals(route)) {
          continue;
        }
        if (c.status().isClaimable()) {
          backlog += c.count();
        }
        if (!c.status().isTerminal() && c.count() > 0) {
          unfinished[c.layer().ordinal()] = true;
        }
      }
      Duration oldest = Duration.ZERO;
      for (Layer layer : Layer.values()) {
        if (unfinished[layer.ordinal()]) {
          Duration age =
              pipeline
                  .operations()
                  .oldestWaiting(route.value(), layer)
                  .map(e -> Duration.between(e.updatedAt(), now))
                  .orElse(Duration.ZERO);
          if (age.compareTo(oldest) > 0) {
            oldest = age;
          }
        }
      }
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("backlog", backlog);
      figures.put("oldestWaiting", oldest.toString());
      details.put(route.value(), figures);
    }
    return details;
  }
}
