package dev.postoffice.core.internal.runner;

import dev.postoffice.PostOfficeException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.core.internal.Mdc;
import dev.postoffice.core.internal.TraceHeaders;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.Output;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.core.internal.stage.FailurePolicy;
import dev.postoffice.core.internal.stage.LeaseLost;
import dev.postoffice.core.internal.stage.Outcome;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a stage's work made of its entries ({@link Outcome}s) into the completions to commit:
 * a success becomes its new status with its outputs (ids derived from the entry, so a run done
 * again writes the same outputs); a failure becomes the status the {@link FailurePolicy} decides,
 * logged and reported to the listener; a lost lease becomes nothing, since another node holds the
 * entry now.
 */
final class StageCompletions {
  /** Logs under StageRunner's category, so one logger setting covers all of a stage's work. */
  private static final Logger log = LoggerFactory.getLogger(StageRunner.class);

  private final RouteDefinition route;
  private final StageSpec spec;
  private final EngineContext ctx;
  private final StageEvents events;
  private final FailurePolicy failures;
  private final String producedBy; // made once: it labels every output

  StageCompletions(RouteDefinition route, StageSpec spec, EngineContext ctx, StageEvents events) {
    this.route = route;
    this.spec = spec;
    this.ctx = ctx;
    this.events = events;
    this.failures = new FailurePolicy(route.settings().retry());
    this.producedBy = spec.producedBy();
  }

  /**
   * A batch's completions.
   *
   * @param completions the completions, in the order of the outcomes; those of entries that
   *     succeeded carry their outputs, the others none
   * @param failed how many entries failed
   */
  record Batch(List<Completion> completions, int failed) {}

  /**
   * Makes the completions of a batch's outcomes.
   *
   * @param lease the lease the outputs are stored with (the fast path), or null
   */
  Batch of(List<Outcome> outcomes, Lease lease, Instant now) {
    int failed = 0;
    List<Completion> completions = new ArrayList<>(outcomes.size());
    for (Outcome outcome : outcomes) {
      Entry entry = outcome.entry();
      if (outcome.failure() instanceof LeaseLost) {
        continue; // no call was made: another node holds the entry now, or it moved on; nothing to
        // commit
      }
      if (outcome.failure() != null) {
        failed++;
        completions.add(failure(entry, outcome.failure(), now));
        continue;
      }
      List<NewEntry> outputs = new ArrayList<>(outcome.outputs().size());
      for (int i = 0; i < outcome.outputs().size(); i++) {
        Output output = outcome.outputs().get(i);
        outputs.add(
            new NewEntry(
                EntryId.derive(entry.id(), entry.generation(), i),
                route.id(),
                route.direction(),
                spec.output(),
                output.payload(),
                TraceHeaders.inherit(entry.headers(), output.headers()),
                entry.id(),
                entry.traceId(),
                null,
                producedBy,
                lease));
      }
      completions.add(
          new Completion(
              entry.id(),
              ctx.nodeId(),
              entry.attempts(),
              outcome.status(),
              outcome.detail(),
              null,
              null,
              outputs));
    }
    return new Batch(completions, failed);
  }

  private Completion failure(Entry entry, Throwable cause, Instant now) {
    // The publish stage never gives up on a transient failure (see FailurePolicy.decide): the Core
    // App can
    // still take the message once the broker is back. Anything else there (a bug) fails after
    // maxAttempts.
    FailurePolicy.Decision decision =
        failures.decide(
            entry,
            cause,
            now,
            spec.destination() == null || !(cause instanceof TransientFailureException));
    try (Mdc ignored = Mdc.of(entry)) {
      if (decision.status() == Status.RETRYING) {
        log.warn(
            "route {} stage {}: entry {} attempt {} failed, retrying at {}: {}",
            route.id(),
            spec.name(),
            entry.id(),
            entry.attempts(),
            decision.nextAttemptAt(),
            decision.error());
      } else if (decision.status() == Status.REJECTED) {
        log.warn(
            "route {} stage {}: entry {} rejected: {}",
            route.id(),
            spec.name(),
            entry.id(),
            decision.error());
      } else {
        // Classified failures are expected outcomes: their message says it all. Others get their
        // stack trace.
        if (cause instanceof PostOfficeException) {
          log.error(
              "route {} stage {}: entry {} failed for good: {}",
              route.id(),
              spec.name(),
              entry.id(),
              decision.error());
        } else {
          log.error(
              "route {} stage {}: entry {} failed for good: {}",
              route.id(),
              spec.name(),
              entry.id(),
              decision.error(),
              FailurePolicy.forLog(cause));
        }
      }
    }
    events.failed(entry.id(), decision.status(), decision.error());
    return new Completion(
        entry.id(),
        ctx.nodeId(),
        entry.attempts(),
        decision.status(),
        decision.error(),
        decision.error(),
        decision.nextAttemptAt(),
        List.of());
  }
}
