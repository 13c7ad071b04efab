package dev.postoffice.core.internal.runner;

import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.model.Entry;
import dev.postoffice.spi.ClaimRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Where a stage's next batch comes from: entries handed over in memory ({@link HandOffQueue})
 * first, and entries claimed from the store at least every poll interval, so that entries that
 * missed the fast path are not starved. Shared by the stage's workers.
 */
final class BatchSource {
  private final RouteDefinition route;
  private final StageSpec spec;
  private final EngineContext ctx;
  private final RouteSettings settings;
  private final HandOffQueue handOffs;
  private final BooleanSupplier running;
  private final BooleanSupplier paused;
  private volatile long lastStorePoll;

  BatchSource(
      RouteDefinition route,
      StageSpec spec,
      EngineContext ctx,
      HandOffQueue handOffs,
      BooleanSupplier running,
      BooleanSupplier paused) {
    this.route = route;
    this.spec = spec;
    this.ctx = ctx;
    this.settings = route.settings();
    this.handOffs = handOffs;
    this.running = running;
    this.paused = paused;
  }

  /**
   * For manual scheduling: handed-over entries if any, otherwise entries claimed from the store.
   */
  List<Entry> nextNow() {
    List<Entry> batch = handOffs.take(settings.batchSize());
    if (batch.isEmpty()) {
      batch.addAll(claim(settings.batchSize()));
    }
    return batch;
  }

  /**
   * For a worker: waits for handed-over entries until the store is due a poll, then takes half a
   * batch of handed-over entries at most and fills the rest from the store (unless the stage is
   * stopping).
   *
   * @return the batch, possibly empty
   */
  List<Entry> next() throws InterruptedException {
    int size = settings.batchSize();
    long pollNanos = settings.pollInterval().toNanos();
    long sinceStore = System.nanoTime() - lastStorePoll;
    if (sinceStore < pollNanos) {
      List<Entry> handedOver =
          handOffs.await(size, pollNanos - sinceStore, settings.linger().toNanos());
      if (!handedOver.isEmpty()) {
        return handedOver;
      }
    }
    lastStorePoll = System.nanoTime();
    // Keep half the batch for the store, so entries that missed the fast path (stored while the
    // hand-off
    // queue was full, or by another node) are not starved while hand-offs keep coming.
    List<Entry> batch = handOffs.take(size - Math.max(1, size / 2));
    if (batch.size() < size && running.getAsBoolean()) {
      List<Entry> claimed = claim(size - batch.size());
      if (claimed.size() == size - batch.size()) {
        lastStorePoll = 0; // a full claim means more is waiting: claim again at once
      }
      batch.addAll(claimed);
    }
    return batch;
  }

  private List<Entry> claim(int limit) {
    if (paused.getAsBoolean()) {
      return new ArrayList<>(); // an operator paused the route: no new claims on this node
    }
    return ctx.store()
        .claim(
            new ClaimRequest(
                route.id(),
                spec.input(),
                limit,
                ctx.nodeId(),
                settings.leaseDuration(),
                ctx.clock().instant()));
  }
}
