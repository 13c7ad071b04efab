package dev.postoffice.core.internal;

import dev.postoffice.Intake;
import dev.postoffice.model.Direction;
import dev.postoffice.spi.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One route at run time: its stage runners, each with its own worker threads (the route's bulkhead: a slow
 * or failing route only ever occupies its own threads), its intake, and its housekeeping.
 */
final class RouteRuntime {
  private final RouteDefinition route;
  private final EngineContext ctx;
  private final List<StageRunner> runners = new ArrayList<>();
  private final BacklogGauge backlog;
  private final UpstreamIntake upstreamIntake;
  private final DownstreamIntake downstreamIntake;
  private final Republisher republisher;
  private final List<Thread> threads = new ArrayList<>();
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
    this.backlog = new BacklogGauge(route.id(), route.settings(), ctx.store());
    boolean upstream = route.direction() == Direction.UPSTREAM;
    this.upstreamIntake = upstream ? new UpstreamIntake(route, ctx, backlog, runners.get(0)) : null;
    this.downstreamIntake = upstream ? null : new DownstreamIntake(route, ctx, backlog, runners.get(0));
    this.republisher = upstream ? new Republisher(route, ctx) : null;
  }

  private StageLogic logicFor(StageSpec spec) {
    if (spec.transform() != null) {
      return new TransformLogic(spec.transform());
    }
    if (spec.destination() != null) {
      return new PublishLogic(ctx.transport(), spec.destination(), route.settings().confirmTimeout());
    }
    return new DispatchLogic(spec.dispatcher(), ctx.codec(), ctx.clock(), route.settings().leaseDuration());
  }

  RouteDefinition definition() {
    return route;
  }

  /** The upstream intake, or null for a downstream route. */
  Intake intake() {
    return upstreamIntake;
  }

  void declareDestinations() {
    String destination = route.direction() == Direction.UPSTREAM
        ? route.publishDestination() : route.sourceDestination();
    ctx.transport().declare(destination);
  }

  void start() {
    runners.forEach(r -> r.running(true));
    if (!ctx.manual()) {
      for (StageRunner runner : runners) {
        for (int i = 0; i < route.settings().concurrency(); i++) {
          Thread thread = new Thread(runner::runLoop,
              "postoffice-" + route.id() + "-" + runner.spec().name() + "-" + i);
          thread.setDaemon(true);
          threads.add(thread);
          thread.start();
        }
      }
    }
    if (downstreamIntake != null) {
      subscription = downstreamIntake.subscribe(ctx.transport());
    }
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
    runners.forEach(r -> r.running(false));
    boolean clean = true;
    for (Thread thread : threads) {
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
