package dev.postoffice.core.internal.runner;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.internal.ack.AckRace;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a stage's completions: retries passing store failures (five attempts, 50 ms doubling),
 * isolates the entries the store refuses for good ({@link PoisonIsolatingCommit}), and logs each
 * completion refused because its lease was lost, except where the Core App's acknowledgement simply
 * overtook the publisher.
 */
final class StageCommit {
  /** Logs under StageRunner's category, so one logger setting covers all of a stage's work. */
  private static final Logger log = LoggerFactory.getLogger(StageRunner.class);

  private final RouteDefinition route;
  private final StageSpec spec;
  private final EngineContext ctx;
  private final AckRace race;
  private final StageEvents events;
  private final Retry retry;

  StageCommit(
      RouteDefinition route, StageSpec spec, EngineContext ctx, AckRace race, StageEvents events) {
    this.route = route;
    this.spec = spec;
    this.ctx = ctx;
    this.race = race;
    this.events = events;
    this.retry =
        Retry.of(
            "commit-" + route.id() + "-" + spec.name(),
            RetryConfig.custom()
                .maxAttempts(5)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(50), 2.0))
                .retryExceptions(StoreUnavailableException.class)
                .build());
  }

  /** Commits the completions; returns what the store applied and refused. */
  CommitResult commit(List<Completion> completions, Instant now) {
    PoisonIsolatingCommit commit =
        new PoisonIsolatingCommit(
            part -> Retry.decorateSupplier(retry, () -> ctx.store().commit(part, now)).get(),
            failed -> events.failed(failed.entryId(), Status.FAILED, failed.lastError()),
            route.settings().retry().maxAttempts());
    CommitResult result = commit.commit(completions);
    for (EntryId refused : result.refused()) {
      if (spec.destination() != null && acknowledgedMeanwhile(refused)) {
        continue; // the Core App's acknowledgement overtook the confirmation: expected, nothing
        // lost
      }
      log.warn(
          "route {} stage {}: commit for entry {} refused: its lease was lost (expired and claimed again,"
              + " or its status changed); the newer work stands",
          route.id(),
          spec.name(),
          refused);
    }
    return result;
  }

  private boolean acknowledgedMeanwhile(EntryId id) {
    if (race.consumeOvertaken(id)) {
      return true; // this node's AckListener recorded it: no need to read it back
    }
    return ctx.store()
        .find(id)
        .map(
            e ->
                e.status() == Status.ACKNOWLEDGED
                    || e.status() == Status.QUEUED
                    || e.status() == Status.REJECTED) // a negative acknowledgement overtook it
        .orElse(false);
  }
}
