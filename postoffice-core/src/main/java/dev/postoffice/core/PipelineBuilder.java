package dev.postoffice.core;

import dev.postoffice.ConfigurationException;
import dev.postoffice.Ingestor;
import dev.postoffice.core.codec.AckMessages;
import dev.postoffice.core.codec.JacksonCodec;
import dev.postoffice.core.internal.Require;
import dev.postoffice.core.internal.engine.Engine;
import dev.postoffice.core.internal.operator.OperatorSettings;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Composes routes, a store and a transport into a {@link Pipeline}. Every problem is collected and
 * reported together by {@link #build()}, with its property path. Not thread-safe. Start with {@link
 * PostOffice#builder()}.
 */
public final class PipelineBuilder {
  /**
   * The queue Core App acknowledgements arrive on, unless set. Letters, digits and dashes only, so
   * it is a valid name on every transport (SQS refuses dots). The same as {@link
   * AckMessages#DEFAULT_DESTINATION}, the Core App receiver's default.
   */
  public static final String DEFAULT_ACK_DESTINATION = AckMessages.DEFAULT_DESTINATION;

  /** How long {@link Pipeline#close()} waits for in-flight work, unless set. */
  public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long a node trusts what it last read of the routes operators paused, unless set: a pause
   * takes effect on every node within about this long.
   */
  public static final Duration DEFAULT_PAUSE_REFRESH_INTERVAL = Duration.ofSeconds(1);

  /** The most entries per second a bulk replay job replays on one node, unless set. */
  public static final int DEFAULT_BULK_REPLAY_RATE = 200;

  private final List<Route> routes = new ArrayList<>();
  private final Map<String, List<Ingestor>> ingestors = new LinkedHashMap<>();
  private String nodeId;
  private StatusStore store;
  private Transport transport;
  private Codec codec = JacksonCodec.create();
  private Clock clock = Clock.systemUTC();
  private PipelineListener listener = PipelineListener.EMPTY;
  private String ackDestination = DEFAULT_ACK_DESTINATION;
  private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
  private boolean manual;
  private Duration pauseRefreshInterval = DEFAULT_PAUSE_REFRESH_INTERVAL;
  private int bulkReplayRate = DEFAULT_BULK_REPLAY_RATE;

  PipelineBuilder() {}

  /**
   * Sets this node's id, the owner of its leases; unique per running instance.
   *
   * @param value the id; default: a random {@code node-<uuid>}
   * @return this builder
   */
  public PipelineBuilder nodeId(String value) {
    this.nodeId = value;
    return this;
  }

  /**
   * Sets the store. Required.
   *
   * @param value the store, such as {@code InMemoryStatusStore.create()} or a {@code
   *     JdbcStatusStore}
   * @return this builder
   */
  public PipelineBuilder store(StatusStore value) {
    this.store = value;
    return this;
  }

  /**
   * Sets the transport to the Core App. Required when there are routes.
   *
   * @param value the transport, such as {@code InMemoryTransport.create()} or a {@code
   *     RabbitTransport}
   * @return this builder
   */
  public PipelineBuilder transport(Transport value) {
    this.transport = value;
    return this;
  }

  /**
   * Sets the codec that stores typed models between layers.
   *
   * @param value the codec; default {@link JacksonCodec#create()}
   * @return this builder
   */
  public PipelineBuilder codec(Codec value) {
    this.codec = value;
    return this;
  }

  /**
   * Sets the clock for statuses, leases and retry times (tests pass a controllable one).
   *
   * @param value the clock; default {@link Clock#systemUTC()}
   * @return this builder
   */
  public PipelineBuilder clock(Clock value) {
    this.clock = value;
    return this;
  }

  /**
   * Sets the listener for metrics and alerts.
   *
   * @param value the listener; default {@link PipelineListener#EMPTY}
   * @return this builder
   */
  public PipelineBuilder listener(PipelineListener value) {
    this.listener = value;
    return this;
  }

  /**
   * Sets the queue the Core App receiver sends acknowledgements to.
   *
   * @param value the queue; default {@value #DEFAULT_ACK_DESTINATION}
   * @return this builder
   */
  public PipelineBuilder ackDestination(String value) {
    this.ackDestination = value;
    return this;
  }

  /**
   * Sets how long {@link Pipeline#close()} waits for in-flight work.
   *
   * @param value the timeout; default 30 s
   * @return this builder
   */
  public PipelineBuilder shutdownTimeout(Duration value) {
    this.shutdownTimeout = value;
    return this;
  }

  /**
   * Sets how long this node trusts what it last read of the routes operators paused ({@code
   * Operations#pause}): the store is read again, by the first stage that claims after this long, so
   * a pause or resume takes effect on every node within about this interval. Zero reads the store
   * before every claim (tests).
   *
   * @param value the interval, 0 to 1 minute; default 1 s
   * @return this builder
   */
  public PipelineBuilder pauseRefreshInterval(Duration value) {
    this.pauseRefreshInterval = value;
    return this;
  }

  /**
   * Sets the most entries per second a bulk replay job ({@code Operations#startBulkReplay}) replays
   * on this node, so that a replay of thousands of entries cannot swamp the route. Manual
   * scheduling ignores it: each {@code runOnce()} replays one page.
   *
   * @param value entries per second, 1 to 10000; default {@value #DEFAULT_BULK_REPLAY_RATE}
   * @return this builder
   */
  public PipelineBuilder bulkReplayRate(int value) {
    this.bulkReplayRate = value;
    return this;
  }

  /**
   * Runs no worker threads: stages run only when the caller calls {@link Pipeline#runOnce()}. For
   * deterministic tests (see the testkit's drain helper); off by default.
   *
   * @return this builder
   */
  public PipelineBuilder manualScheduling() {
    this.manual = true;
    return this;
  }

  /**
   * Adds a route.
   *
   * @param route the route
   * @return this builder
   */
  public PipelineBuilder route(Route route) {
    routes.add(route);
    return this;
  }

  /**
   * Adds a route from its last builder step.
   *
   * @param route the route's builder
   * @return this builder
   */
  public PipelineBuilder route(RouteBuilder route) {
    return route(route == null ? null : route.build());
  }

  /**
   * Adds an ingestor that feeds an upstream route; it starts with the pipeline and stops first.
   *
   * @param route the upstream route's name
   * @param ingestor the ingestor
   * @return this builder
   */
  public PipelineBuilder ingestor(String route, Ingestor ingestor) {
    ingestors.computeIfAbsent(route, r -> new ArrayList<>()).add(ingestor);
    return this;
  }

  /**
   * Checks everything and builds the pipeline (not started).
   *
   * @return the pipeline
   * @throws ConfigurationException listing every problem found
   */
  public Pipeline build() {
    List<String> errors = new ArrayList<>();
    String node = nodeId == null ? "node-" + UUID.randomUUID() : nodeId;
    Require.collect(errors, "nodeId", () -> EntryId.of(node));
    if (store == null) {
      errors.add(
          "store cannot be null [Hint: pass InMemoryStatusStore.create() for tests, or a JdbcStatusStore"
              + " from postoffice-jdbc-store to .store(...)]");
    }
    if (transport == null && !routes.isEmpty()) {
      errors.add(
          "transport cannot be null: every route exchanges messages with the Core App [Hint: pass"
              + " InMemoryTransport.create() for tests, or add postoffice-rabbit-transport or"
              + " postoffice-sqs-transport and pass it to .transport(...)]");
    }
    Require.collect(errors, "codec", () -> Require.nonNull(codec, "codec"));
    Require.collect(errors, "clock", () -> Require.nonNull(clock, "clock"));
    Require.collect(errors, "listener", () -> Require.nonNull(listener, "listener"));
    Require.collect(
        errors, "ackDestination", () -> Require.nonBlank(ackDestination, "ackDestination"));
    Require.collect(
        errors,
        "shutdownTimeout",
        () ->
            Require.between(
                shutdownTimeout, Duration.ZERO, Duration.ofHours(1), "shutdownTimeout"));
    Require.collect(
        errors,
        "pauseRefreshInterval",
        () ->
            Require.between(
                pauseRefreshInterval,
                Duration.ZERO,
                Duration.ofMinutes(1),
                "pauseRefreshInterval"));
    Require.collect(
        errors,
        "bulkReplayRate",
        () -> Require.between(bulkReplayRate, 1, 10_000, "bulkReplayRate"));
    Set<String> names = new HashSet<>();
    Map<String, Direction> directions = new LinkedHashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      if (route == null) {
        errors.add("routes[" + i + "] cannot be null");
        continue;
      }
      errors.addAll(route.errors());
      if (!names.add(route.name())) {
        errors.add("route[" + route.name() + "] is defined twice; route names must be unique");
      }
      directions.put(route.name(), route.direction());
    }
    ingestors.forEach(
        (route, list) -> {
          Direction direction = directions.get(route);
          if (direction == null) {
            errors.add(
                "ingestor for route["
                    + route
                    + "]: no such route; known routes: "
                    + directions.keySet());
          } else if (direction != Direction.UPSTREAM) {
            errors.add(
                "ingestor for route["
                    + route
                    + "]: the route is downstream; ingestors feed upstream routes");
          }
          if (list.contains(null)) {
            errors.add("ingestor for route[" + route + "] cannot be null");
          }
        });
    if (!errors.isEmpty()) {
      throw new ConfigurationException(errors);
    }
    List<RouteDefinition> definitions = new ArrayList<>();
    for (Route route : routes) {
      definitions.add(route.define(codec));
    }
    Map<RouteId, List<Ingestor>> byRoute = new LinkedHashMap<>();
    ingestors.forEach((route, list) -> byRoute.put(RouteId.of(route), List.copyOf(list)));
    EngineContext ctx =
        new EngineContext(
            node,
            store,
            transport,
            codec,
            clock,
            listener,
            ackDestination,
            manual,
            shutdownTimeout);
    return new Engine(
        ctx,
        definitions,
        byRoute,
        new OperatorSettings(
            pauseRefreshInterval, bulkReplayRate, OperatorSettings.DEFAULTS.replayLease()));
  }
}
