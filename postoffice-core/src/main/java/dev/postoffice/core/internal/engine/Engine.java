package dev.postoffice.core.internal.engine;

import dev.postoffice.Ingestor;
import dev.postoffice.Intake;
import dev.postoffice.NoSuchRouteException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.internal.ack.AckListener;
import dev.postoffice.core.internal.ack.AckRace;
import dev.postoffice.core.internal.operator.OperatorSettings;
import dev.postoffice.core.internal.operator.ReplayJobRunner;
import dev.postoffice.core.internal.operator.RoutePauses;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.operator.Operations;
import dev.postoffice.model.Direction;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running pipeline: routes, the acknowledgement listener, housekeeping and the lifecycle. */
public final class Engine implements Pipeline {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final EngineContext ctx;
  private final AckRace race = new AckRace();
  private final Map<RouteId, RouteRuntime> routes = new LinkedHashMap<>();
  private final Map<RouteId, List<Ingestor>> ingestors;
  private final Operations operations;
  private final ReplayJobRunner replayJobs;
  private Subscription ackSubscription;
  private ScheduledExecutorService housekeeping;

  /** What start() has started so far, in order: what stop() stops. */
  private final List<RouteRuntime> started = new ArrayList<>();

  private final List<Ingestor> startedIngestors = new ArrayList<>();
  private Thread stopThread;
  private StopSequence stopSequence;
  private State state = State.NEW;

  private enum State {
    NEW,
    RUNNING,
    STOPPED,
    FAILED
  }

  /**
   * Creates the engine; nothing runs until {@link #start()}.
   *
   * @param ctx what the parts share
   * @param definitions the routes
   * @param ingestors ingestors per upstream route
   */
  public Engine(
      EngineContext ctx,
      List<RouteDefinition> definitions,
      Map<RouteId, List<Ingestor>> ingestors) {
    this(ctx, definitions, ingestors, OperatorSettings.DEFAULTS);
  }

  /**
   * Creates the engine with settings for operator work; nothing runs until {@link #start()}.
   *
   * @param ctx what the parts share
   * @param definitions the routes
   * @param ingestors ingestors per upstream route
   * @param operator how route pauses are read and bulk replays paced
   */
  public Engine(
      EngineContext ctx,
      List<RouteDefinition> definitions,
      Map<RouteId, List<Ingestor>> ingestors,
      OperatorSettings operator) {
    this.ctx = ctx;
    RoutePauses pauses = new RoutePauses(ctx.store(), operator.pauseRefresh());
    for (RouteDefinition definition : definitions) {
      RouteRuntime runtime = new RouteRuntime(definition, ctx, race);
      RouteId id = definition.id();
      runtime.pausedWhen(() -> pauses.isPaused(id));
      routes.put(id, runtime);
    }
    this.ingestors = Map.copyOf(ingestors);
    this.operations = Operations.create(ctx.store(), ctx.clock(), ctx.listener());
    this.replayJobs = new ReplayJobRunner(ctx, operations, operator);
  }

  @Override
  public synchronized Pipeline start() {
    if (state != State.NEW) {
      throw new IllegalStateException(
          "pipeline "
              + ctx.nodeId()
              + " was already started"
              + (state == State.FAILED ? " and failed to start" : "")
              + "; build a new one");
    }
    // From here on stop() undoes whatever has started, so a start that fails half-way leaves
    // nothing running
    // (no workers claiming under this node's id, no consumers subscribed).
    state = State.RUNNING;
    try {
      startEverything();
    } catch (RuntimeException | Error e) {
      log.error(
          "PostOffice node {} failed to start; stopping what had started: {}",
          ctx.nodeId(),
          e.toString());
      try {
        if (!stop(ctx.shutdownTimeout())) {
          e.addSuppressed(
              new IllegalStateException(
                  "stopping what had started did not finish within "
                      + ctx.shutdownTimeout()
                      + "; see the log for what was abandoned"));
        }
      } catch (RuntimeException | Error stopFailure) {
        e.addSuppressed(stopFailure);
      }
      state = State.FAILED;
      throw e;
    }
    log.info("PostOffice node {} started with routes {}", ctx.nodeId(), routes.keySet());
    return this;
  }

  private void startEverything() {
    routes.values().forEach(RouteRuntime::declareDestinations);
    boolean anyUpstream =
        routes.values().stream().anyMatch(r -> r.definition().direction() == Direction.UPSTREAM);
    if (anyUpstream) {
      ctx.transport().declare(ctx.ackDestination());
      ackSubscription = ctx.transport().subscribe(ctx.ackDestination(), new AckListener(ctx, race));
    }
    for (RouteRuntime route : routes.values()) {
      started.add(route);
      route.start();
    }
    if (!ctx.manual()) {
      housekeeping =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "postoffice-housekeeping");
                thread.setDaemon(true);
                return thread;
              });
      housekeeping.scheduleWithFixedDelay(this::housekeep, 1, 1, TimeUnit.SECONDS);
      replayJobs.start();
    }
    for (Map.Entry<RouteId, List<Ingestor>> e : ingestors.entrySet()) {
      for (Ingestor ingestor : e.getValue()) {
        startedIngestors.add(ingestor);
        ingestor.start(intake(e.getKey().value()));
      }
    }
  }

  private void housekeep() {
    for (RouteRuntime route : routes.values()) {
      try {
        route.housekeeping();
      } catch (RuntimeException e) {
        log.warn("route {}: housekeeping failed: {}", route.definition().id(), e.toString());
      }
    }
  }

  @Override
  public Intake intake(String route) {
    RouteRuntime runtime = routes.get(parse(route));
    if (runtime == null) {
      throw new NoSuchRouteException(route, routes.keySet());
    }
    Intake intake = runtime.intake();
    if (intake == null) {
      throw new IllegalArgumentException(
          "route "
              + route
              + " is downstream: its messages come from the Core App"
              + " queue "
              + runtime.definition().sourceDestination()
              + ", not from an intake");
    }
    return intake;
  }

  private RouteId parse(String route) {
    try {
      return RouteId.of(route);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new NoSuchRouteException(String.valueOf(route), routes.keySet());
    }
  }

  @Override
  public Operations operations() {
    return operations;
  }

  @Override
  public int runOnce() {
    if (!ctx.manual()) {
      throw new IllegalStateException(
          "runOnce() needs manual scheduling: build the pipeline with"
              + " .manualScheduling(); this one runs its own worker threads");
    }
    synchronized (this) {
      if (state != State.RUNNING) {
        throw new IllegalStateException("pipeline is not running; call start() first");
      }
    }
    int worked = 0;
    for (RouteRuntime route : routes.values()) {
      worked += route.runOnce();
    }
    return worked + replayJobs.step();
  }

  @Override
  public boolean stop(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Thread stopper;
    StopSequence sequence;
    synchronized (this) {
      if (state == State.NEW) {
        state = State.STOPPED;
      }
      if (state == State.RUNNING) {
        // The steps run on a thread of their own, so that one stuck in a call (a database that
        // stopped
        // answering, a broker that does not close) cannot hold the caller past its deadline.
        state = State.STOPPED;
        stopSequence = new StopSequence(deadline);
        stopThread = new Thread(stopSequence, "postoffice-stop-" + ctx.nodeId());
        stopThread.setDaemon(true);
        stopThread.start();
      }
      stopper = stopThread;
      sequence = stopSequence;
    }
    if (stopper == null) {
      return true; // never started, or a start that failed before anything ran
    }
    // Joined outside the lock: a second caller (a shutdown hook's close()) waits with its own
    // deadline.
    try {
      stopper.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stopper.isAlive()) {
      stopper.interrupt();
      log.warn(
          "PostOffice node {} stop: gave up after {} while it was {}; abandoned: {}. Leases still held"
              + " expire on their own",
          ctx.nodeId(),
          timeout,
          sequence.step,
          sequence.remaining());
      return false;
    }
    return sequence.clean;
  }

  /**
   * The steps of a stop, in order, on the stopping thread; remembers where it is for the report.
   */
  private final class StopSequence implements Runnable {
    private static final List<String> STEPS =
        List.of(
            "closing ingestors",
            "closing consumers",
            "stopping housekeeping",
            "waiting for workers",
            "releasing leases");
    private final long deadline;
    private volatile String step = STEPS.get(0);
    private volatile boolean clean = true;

    StopSequence(long deadline) {
      this.deadline = deadline;
    }

    String remaining() {
      return String.join(", ", STEPS.subList(STEPS.indexOf(step), STEPS.size()));
    }

    @Override
    public void run() {
      for (Ingestor ingestor : startedIngestors) {
        try {
          ingestor.close();
        } catch (Exception e) {
          log.warn("ingestor {} failed to close", ingestor, e);
        }
      }
      step = STEPS.get(1);
      started.forEach(RouteRuntime::stopIntake);
      if (ackSubscription != null) {
        ackSubscription.close();
      }
      step = STEPS.get(2);
      if (housekeeping != null) {
        housekeeping.shutdownNow();
      }
      clean &= replayJobs.stop(deadline);
      step = STEPS.get(3);
      for (RouteRuntime route : started) {
        clean &= route.stopWorkers(deadline);
      }
      step = STEPS.get(4);
      if (!clean) {
        // A worker that ignored its interrupt (a blocked socket read, a partner call) may still
        // publish or
        // dispatch: releasing its leases would let another node repeat that call. They expire
        // instead.
        log.warn(
            "PostOffice node {} stopped; some workers did not finish in time, so their leases are left to"
                + " expire rather than released",
            ctx.nodeId());
        return;
      }
      try {
        // A release clears leases and changes no status (no history row): nothing for the
        // listener's onStatusChanged.
        int released = ctx.store().release(ctx.nodeId(), ctx.clock().instant());
        log.info("PostOffice node {} stopped; released {} lease(s)", ctx.nodeId(), released);
      } catch (RuntimeException e) {
        log.warn(
            "PostOffice node {} could not release its leases; they expire on their own",
            ctx.nodeId(),
            e);
      }
    }
  }

  @Override
  public void close() {
    stop(ctx.shutdownTimeout());
  }

  @Override
  public String nodeId() {
    return ctx.nodeId();
  }

  @Override
  public List<RouteId> routes() {
    return new ArrayList<>(routes.keySet());
  }
}
