package dev.postoffice.core.internal.runner;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.internal.ack.AckRace;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final PipelineEvents changes;
  private final Retry retry;

  StageCommit(
      RouteDefinition route, StageSpec spec, EngineContext ctx, AckRace race, StageEvents events) {
    this.route = route;
    this.spec = spec;
    this.ctx = ctx;
    this.race = race;
    this.events = events;
    this.changes = PipelineEvents.of(ctx);
    this.retry =
        Retry.of(
            "commit-" + route.id() + "-" + spec.name(),
            RetryConfig.custom()
                .maxAttempts(5)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(50), 2.0))
                .retryExceptions(StoreUnavailableException.class)
                .build());
  }

  /**
   * Commits the completions; returns what the store applied and refused.
   *
   * @param claimed the entries the completions complete, as claimed: the {@code from} of their
   *     status changes
   */
  CommitResult commit(List<Completion> completions, List<Entry> claimed, Instant now) {
    ClaimedLookup byId = changes.enabled() ? new ClaimedLookup(claimed) : null;
    PoisonIsolatingCommit commit =
        new PoisonIsolatingCommit(
            part -> Retry.decorateSupplier(retry, () -> ctx.store().commit(part, now)).get(),
            failed -> {
              events.failed(failed.entryId(), Status.FAILED, failed.lastError());
              if (byId != null) {
                changed(byId.get(failed.entryId()), failed, now);
              }
            },
            route.settings().retry().maxAttempts());
    CommitResult result = commit.commit(completions);
    if (byId != null) {
      report(completions, result, byId, now);
    }
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

  /**
   * Finds the claimed entry of each completion: walking the claimed entries in step, since a stage
   * makes its completions in the order of its batch (skipping entries whose lease was lost); by a
   * map, made at the first completion out of that order.
   */
  private static final class ClaimedLookup {
    private final List<Entry> claimed;
    private int next;
    private Map<EntryId, Entry> byId;

    ClaimedLookup(List<Entry> claimed) {
      this.claimed = claimed;
    }

    Entry get(EntryId id) {
      if (byId == null) {
        for (int i = next; i < claimed.size(); i++) {
          if (claimed.get(i).id().equals(id)) {
            next = i + 1;
            return claimed.get(i);
          }
        }
        byId = new HashMap<>(claimed.size() * 2);
        claimed.forEach(e -> byId.put(e.id(), e));
      }
      return byId.get(id);
    }
  }

  /**
   * Tells the listener of the applied completions: each entry's move from its claimed status, its
   * outputs (created, in the order the store writes them), a dispatch as a delivery; and records a
   * broker's confirmation for the acknowledgement's {@code sinceQueued}. Refused completions
   * changed nothing and are not reported. An output the store already had (a rerun) is reported
   * again: the store does not say which outputs it inserted, and with derived ids that happens only
   * after a crash between a run and its commit.
   */
  private void report(
      List<Completion> completions, CommitResult result, ClaimedLookup byId, Instant now) {
    if (result.applied().isEmpty()) {
      return;
    }
    // Usually every completion applied: then there is no set to build.
    Set<EntryId> applied =
        result.applied().size() == completions.size() ? null : new HashSet<>(result.applied());
    for (Completion c : completions) {
      if (applied != null && !applied.remove(c.entryId())) {
        continue; // refused, isolated (reported when it was failed), or a second completion
      }
      Entry entry = byId.get(c.entryId());
      changed(entry, c, now);
      for (NewEntry output : c.outputs()) {
        changes.outputStored(output, now);
      }
      if (entry == null) {
        continue;
      }
      if (c.newStatus() == Status.QUEUED) {
        race.queued(entry, now);
      } else if (c.newStatus() == Status.DISPATCHED) {
        changes.delivered(entry.id(), entry.traceId(), entry.route(), entry.direction(), null, now);
      }
    }
  }

  private void changed(Entry entry, Completion c, Instant now) {
    if (entry == null) {
      return; // not claimed by this batch: cannot happen, and no event is better than a wrong one
    }
    changes.moved(entry, entry.status(), c.newStatus(), c.detail(), now);
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
