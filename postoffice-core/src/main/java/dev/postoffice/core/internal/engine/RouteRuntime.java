package dev.postoffice.core.internal.engine;

import dev.postoffice.Intake;
import dev.postoffice.core.internal.ack.AckRace;
import dev.postoffice.core.internal.ack.Republisher;
import dev.postoffice.core.internal.intake.BacklogGauge;
import dev.postoffice.core.internal.intake.DownstreamIntake;
import dev.postoffice.core.internal.intake.UpstreamIntake;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.core.internal.runner.StageRunner;
import dev.postoffice.core.internal.stage.DispatchLogic;
import dev.postoffice.core.internal.stage.LeaseGuard;
import dev.postoffice.core.internal.stage.PublishLogic;
import dev.postoffice.core.internal.stage.StageLogic;
import dev.postoffice.core.internal.stage.TransformLogic;
import dev.postoffice.event.WorkerReplaced;
import dev.postoffice.model.Direction;
import dev.postoffice.spi.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One route at run time: its stage runners, each with its own worker threads (the route's bulkhead:
 * a slow or failing route only ever occupies its own threads), its intake, and its housekeeping.
 */
final class RouteRuntime {
  private static final Logger log = LoggerFactory.getLogger(RouteRuntime.class);

  /**
   * How long the first replacement worker waits before it starts; each further one waits twice as
   * long.
   */
  static final long REPLACEMENT_PAUSE_MILLIS = 200;

  /**
   * The longest wait of a replacement worker, so an Error that comes back at once cannot make
   * threads spin.
   */
  static final long MAX_REPLACEMENT_PAUSE_MILLIS = 30_000;

  private final RouteDefinition route;
  private final EngineContext ctx;
  private final List<StageRunner> runners = new ArrayList<>();
  private final BacklogGauge backlog;
  private final UpstreamIntake upstreamIntake;
  private final DownstreamIntake downstreamIntake;
  private final Republisher republisher;

  /** Live and dead workers; replacements are added from the dying worker's thread. */
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  private final AtomicLong replacements = new AtomicLong();
  private volatile boolean workersRunning;
  private Subscription subscription;

  RouteRuntime(RouteDefinition route, EngineContext ctx, AckRace race) {
    this.route = route;
    this.ctx = ctx;
    for (StageSpec spec : route.stages()) {
      runners.add(new StageRunner(route, spec, logicFor(spec), ctx, race));
    }
    for (int i = 0; i + 1 < runners.size(); i++) {
      runners.get(i).next(runners.get(i + 1));
    }
    this.backlog =
        new BacklogGauge(route.id(), route.settings(), ctx.store(), PipelineEvents.of(ctx));
    boolean upstream = route.direction() == Direction.UPSTREAM;
    this.upstreamIntake = upstream ? new UpstreamIntake(route, ctx, backlog, runners.get(0)) : null;
    this.downstreamIntake =
        upstream ? null : new DownstreamIntake(route, ctx, backlog, runners.get(0));
    this.republisher = upstream ? new Republisher(route, ctx) : null;
  }

  private StageLogic logicFor(StageSpec spec) {
    if (spec.transform() != null) {
      return new TransformLogic(spec.transform());
    }
    LeaseGuard leases = new LeaseGuard(ctx, route.id(), route.settings().leaseDuration());
    if (spec.destination() != null) {
      return new PublishLogic(
          ctx.transport(),
          spec.destination(),
          route.settings().confirmTimeout(),
          leases,
          route.id(),
          PipelineEvents.of(ctx));
    }
    return new DispatchLogic(spec.dispatcher(), ctx.codec(), leases);
  }

  RouteDefinition definition() {
    return route;
  }

  /** The upstream intake, or null for a downstream route. */
  Intake intake() {
    return upstreamIntake;
  }

  void declareDestinations() {
    String destination =
        route.direction() == Direction.UPSTREAM
            ? route.publishDestination()
            : route.sourceDestination();
    ctx.transport().declare(destination);
  }

  /** Makes every stage of the route obey an operator's pause, as {@code paused} tells it. */
  void pausedWhen(BooleanSupplier paused) {
    runners.forEach(r -> r.pausedWhen(paused));
  }

  void start() {
    runners.forEach(r -> r.running(true));
    if (!ctx.manual()) {
      workersRunning = true;
      for (StageRunner runner : runners) {
        for (int i = 0; i < route.settings().concurrency(); i++) {
          startWorker(runner, "postoffice-" + route.id() + "-" + runner.spec().name() + "-" + i, 0);
        }
      }
    }
    if (downstreamIntake != null) {
      subscription = downstreamIntake.subscribe(ctx.transport());
    }
  }

  private void startWorker(StageRunner runner, String name, long pauseMillis) {
    Thread thread = new Thread(() -> work(runner, pauseMillis), name);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  /**
   * A worker's life: the stage's loop, which handles every failure of an entry or of the store
   * itself. What escapes it (an {@link Error} outside user code, or a bug) would leave the stage
   * with one worker fewer for good, so the worker is replaced, and the event is logged and
   * reported.
   */
  private void work(StageRunner runner, long pauseMillis) {
    try {
      if (pauseMillis > 0) {
        Thread.sleep(pauseMillis);
      }
      runner.runLoop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) { // NOPMD: whatever it is, the stage must keep its workers
      String thread = Thread.currentThread().getName();
      long count = replacements.incrementAndGet();
      log.error(
          "route {} stage {}: worker {} died; a new worker replaces it (replacement {} of this route); the"
              + " entries it held wait for their leases to expire",
          route.id(),
          runner.spec().name(),
          thread,
          count,
          t);
      try {
        ctx.listener()
            .onWorkerReplaced(
                new WorkerReplaced(route.id(), runner.spec().name(), thread, t.toString(), count));
      } catch (RuntimeException e) {
        log.warn("listener failed on onWorkerReplaced", e);
      }
      if (workersRunning) {
        long pause = REPLACEMENT_PAUSE_MILLIS << Math.min(count - 1, 10);
        startWorker(runner, thread, Math.min(pause, MAX_REPLACEMENT_PAUSE_MILLIS));
      }
    } finally {
      threads.remove(Thread.currentThread());
    }
  }

  /**
   * @return how many workers of this route died and were replaced
   */
  long workersReplaced() {
    return replacements.get();
  }

  /** One pass over every stage, for manual scheduling; returns entries worked on. */
  int runOnce() {
    int worked = 0;
    for (StageRunner runner : runners) {
      worked += runner.step();
    }
    if (republisher != null) {
      worked += republisher.run();
    }
    return worked;
  }

  void housekeeping() {
    if (republisher != null) {
      republisher.run();
    }
  }

  void stopIntake() {
    if (downstreamIntake != null) {
      downstreamIntake.stop();
    }
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  /** Stops the workers; returns false if some did not end before the deadline. */
  boolean stopWorkers(long deadlineNanos) {
    workersRunning = false;
    runners.forEach(r -> r.running(false));
    boolean clean = true;
    for (Thread thread :
        threads) { // a replacement started meanwhile is in the snapshot or sees the flag
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        clean = false;
        thread.interrupt();
      }
    }
    threads.clear();
    return clean;
  }
}
