package dev.postoffice.core.internal.runner;

import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.event.EntryFailed;
import dev.postoffice.event.StageFinished;
import dev.postoffice.event.StageStarted;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the pipeline's listener what one stage does. A listener that throws is logged and ignored:
 * the listener is for observing, so its failure must not fail the batch it observes.
 */
final class StageEvents {
  /** Logs under StageRunner's category, so one logger setting covers all of a stage's work. */
  private static final Logger log = LoggerFactory.getLogger(StageRunner.class);

  private final RouteDefinition route;
  private final StageSpec spec;
  private final EngineContext ctx;

  StageEvents(RouteDefinition route, StageSpec spec, EngineContext ctx) {
    this.route = route;
    this.spec = spec;
    this.ctx = ctx;
  }

  void started(int entries) {
    try {
      ctx.listener()
          .onStageStarted(new StageStarted(route.id(), spec.input(), spec.name(), entries));
    } catch (RuntimeException e) {
      log.warn("listener failed on onStageStarted", e);
    }
  }

  void finished(int entries, int failed, long nanos) {
    try {
      ctx.listener()
          .onStageFinished(
              new StageFinished(
                  route.id(), spec.input(), spec.name(), entries, failed, Duration.ofNanos(nanos)));
    } catch (RuntimeException e) {
      log.warn("listener failed on onStageFinished", e);
    }
  }

  void failed(EntryId id, Status status, String error) {
    try {
      ctx.listener().onEntryFailed(new EntryFailed(route.id(), id, spec.name(), status, error));
    } catch (RuntimeException e) {
      log.warn("listener failed on onEntryFailed", e);
    }
  }
}
