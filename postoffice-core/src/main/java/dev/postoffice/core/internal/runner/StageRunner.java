package dev.postoffice.core.internal.runner;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.internal.ack.AckRace;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.Entries;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.core.internal.stage.Outcome;
import dev.postoffice.core.internal.stage.StageLogic;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Lease;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stage of one route: takes a batch (from the in-memory hand-off queue, else claimed from
 * the store), works on it, and commits every entry's new status with its outputs in one store call.
 * Outputs that the next stage of this node will work on are stored already leased to this node and
 * handed over in memory (the fast path); everything else is found by polling the store (the durable
 * path).
 *
 * <p>With worker threads, the fast path runs the next stage on the same thread right after the
 * commit, so one worker carries a batch through all the stages of its route (fewer thread hand-offs
 * and warmer caches: on few cores this is much faster than one thread per stage), except the
 * partner dispatch, which waits on the partner and so runs on the dispatch stage's own workers.
 * Each stage keeps its own threads for the durable path. Under manual scheduling the outputs wait
 * in the next stage's queue, so each {@code runOnce()} moves a batch by one stage, as deterministic
 * tests expect.
 *
 * <p>This class works on a batch and chooses the path of its outputs (fused, inline, hand-off,
 * durable). Its parts each do one job: {@link BatchSource} picks the next batch from the {@link
 * HandOffQueue} or the store, {@link WorkerLoop} keeps a worker thread going through failures,
 * {@link StageCompletions} turns outcomes into completions, {@link StageCommit} stores them, {@link
 * StageEvents} tells the listener, and every feeder of a hand-off queue holds a {@link
 * HandOffReservation}.
 */
public final class StageRunner {
  private static final Logger log = LoggerFactory.getLogger(StageRunner.class);

  private final RouteDefinition route;
  private final StageSpec spec;
  private final StageLogic logic;
  private final EngineContext ctx;
  private final AckRace race;
  private final RouteSettings settings;
  private final StageEvents events;
  private final StageCommit commit;
  private final StageCompletions completions;
  private final HandOffQueue handOffs;
  private final BatchSource batches;
  private final WorkerLoop workerLoop;
  private volatile StageRunner next;
  private volatile boolean running;
  // An operator's pause of the route (read from the store through a short cache): no new claims.
  private volatile BooleanSupplier paused = () -> false;

  public StageRunner(
      RouteDefinition route, StageSpec spec, StageLogic logic, EngineContext ctx, AckRace race) {
    this.route = route;
    this.race = race;
    this.spec = spec;
    this.logic = logic;
    this.ctx = ctx;
    this.settings = route.settings();
    this.handOffs = new HandOffQueue(HandOffQueue.capacityFor(settings.batchSize()));
    this.batches = new BatchSource(route, spec, ctx, handOffs, () -> running, this::paused);
    this.workerLoop =
        new WorkerLoop(
            route,
            spec,
            () -> running,
            () -> {
              List<Entry> batch = batches.next();
              if (!batch.isEmpty()) {
                process(batch);
              }
            });
    this.events = new StageEvents(route, spec, ctx);
    this.commit = new StageCommit(route, spec, ctx, race, events);
    this.completions = new StageCompletions(route, spec, ctx, events);
  }

  public void next(StageRunner value) {
    this.next = value;
  }

  public StageSpec spec() {
    return spec;
  }

  /**
   * Reserves room for entries this node will store leased to itself and hand over in memory; close
   * it in a try-with-resources block. Holds no room when the queue is full or the stage is stopped.
   */
  public HandOffReservation reserveHandOff(int count) {
    return running && !paused() ? handOffs.reserve(count) : HandOffReservation.none();
  }

  /**
   * Sets what tells whether an operator paused the route: while it says so, this stage claims
   * nothing (from the store, or by taking new outputs leased in memory); the batch in hand and
   * entries already handed over finish.
   */
  public void pausedWhen(BooleanSupplier value) {
    this.paused = value;
  }

  private boolean paused() {
    return paused.getAsBoolean();
  }

  public void running(boolean value) {
    running = value;
  }

  /**
   * Works on one batch: handed-over entries if any, otherwise entries claimed from the store.
   *
   * @return the number of entries worked on
   */
  public int step() {
    List<Entry> batch = batches.nextNow();
    if (!batch.isEmpty()) {
      process(batch);
    }
    return batch.size();
  }

  /**
   * The loop of a worker thread, until {@link #running(boolean)} is false; see {@link WorkerLoop}.
   */
  public void runLoop() {
    workerLoop.run();
  }

  private void process(List<Entry> batch) {
    process(batch, null);
  }

  /**
   * Works on a batch and commits it, or, on the fast path between two transform stages, hands its
   * outputs to the next stage before committing anything, so that one commit stores the work of
   * several stages.
   *
   * @param pending the earlier stages' uncommitted work whose outputs {@code batch} is, or null
   */
  private void process(List<Entry> batch, FusedBatch pending) {
    long started = System.nanoTime();
    events.started(batch.size());
    if (spec.destination() != null) {
      // Acknowledgements for this batch that arrive before its commit wait for it (see AckRace).
      try (AckRace.Publishing publishing =
          race.publishing(batch.stream().map(Entry::id).toList())) {
        work(batch, pending, started);
      }
    } else {
      work(batch, pending, started);
    }
  }

  /**
   * Works on a batch, then takes its completions one of four ways: fused (carried uncommitted into
   * the next transform stage on this thread), or committed and then worked on by the next stage
   * inline (on this thread), handed over to the next stage's queue, or left in the store for the
   * next stage to claim.
   */
  private void work(List<Entry> batch, FusedBatch pending, long started) {
    List<Outcome> outcomes = logic.work(batch);
    Instant now = ctx.clock().instant();
    StageRunner nextStage = next;
    int outputCount = 0;
    for (Outcome outcome : outcomes) {
      outputCount += outcome.outputs().size();
    }
    // A partner call takes as long as the partner makes it (a hanging or slow API), so the dispatch
    // stage runs
    // on its own workers: the worker that carried this batch goes back to the route's backlog, and
    // the dispatch
    // stage's concurrency is what bounds the calls in flight. Run inline, a hanging partner held
    // the route's
    // only carrier and left everything behind it Just In.
    boolean inline = nextStage != null && !ctx.manual() && nextStage.spec.dispatcher() == null;
    int failed;
    List<Entry> forNext =
        null; // the committed outputs the next stage works on inline, on this thread
    // Whatever ends this before the hand-over (a store failure, an Error, a listener's), the room
    // reserved in the next stage's queue is given back: lost permits would turn the fast path off
    // for good.
    try (HandOffReservation room =
        nextStage == null || outputCount == 0 || inline
            ? HandOffReservation.none()
            : nextStage.reserveHandOff(outputCount)) {
      boolean fast =
          nextStage != null
              && outputCount > 0
              && (inline ? nextStage.running && !nextStage.paused() : room.isHeld());
      Lease lease =
          fast ? new Lease(ctx.nodeId(), now.plus(nextStage.settings.leaseDuration())) : null;
      StageCompletions.Batch made = completions.of(outcomes, lease, now);
      failed = made.failed();
      FusedBatch earlier = pending;
      if (earlier != null && failed > 0) {
        // Some failed: store the earlier stages' work as it was (outputs Just In, leased to this
        // node), then
        // this stage's completions against it, as if the stages had never been fused.
        commit.commit(earlier.completions(), earlier.claimed(), now);
        earlier = null;
      }
      FusedBatch work = FusedBatch.extend(earlier, made.completions(), batch);
      if (inline
          && fast
          && failed == 0
          && spec.transform() != null
          && nextStage.spec.transform() != null) {
        // Fused: one commit, after the next stage, stores the work of both.
        events.finished(batch.size(), 0, System.nanoTime() - started);
        nextStage.runGuarded(preClaimed(made.completions(), work, null, outputCount, now), work);
        return;
      }
      CommitResult result = commit.commit(work.completions(), work.claimed(), now);
      if (fast) {
        List<Entry> committed = preClaimed(made.completions(), work, result, outputCount, now);
        if (inline) {
          forNext = committed;
        } else {
          committed.forEach(room::handOff);
        }
      }
    }
    events.finished(batch.size(), failed, System.nanoTime() - started);
    if (forNext != null && !forNext.isEmpty()) {
      nextStage.runInline(forNext);
    }
  }

  /**
   * The outputs of a stage's completions as the next stage sees them, already claimed by this node,
   * in the order of the batch: all of them, or with a commit result only those whose completion the
   * store applied (a refused completion's outputs were not stored).
   */
  private static List<Entry> preClaimed(
      List<Completion> completions,
      FusedBatch work,
      CommitResult result,
      int outputCount,
      Instant now) {
    // Every completion applied (the usual case): no need to look each output's up.
    Set<EntryId> applied =
        result == null
                || (result.refused().isEmpty() && result.applied().size() == work.rootCount())
            ? null
            : new HashSet<>(result.applied());
    List<Entry> out = new ArrayList<>(outputCount);
    for (Completion completion : completions) {
      for (NewEntry output : completion.outputs()) {
        if (applied == null || applied.contains(work.rootOf(output.id()))) {
          out.add(Entries.preClaimed(output, now));
        }
      }
    }
    return out;
  }

  /**
   * Works on entries this node just stored leased to itself, on the calling thread, in batches of
   * this stage's size. A failure is logged and leaves the entries to their lease's expiry (or to
   * the release at shutdown), exactly as when a worker fails on a batch taken from its queue.
   */
  private void runInline(List<Entry> entries) {
    int size = settings.batchSize();
    for (int from = 0; from < entries.size(); from += size) {
      runGuarded(entries.subList(from, Math.min(entries.size(), from + size)), null);
    }
  }

  /**
   * Works on a batch on the calling thread, logging a failure instead of throwing it. With {@code
   * pending} (outputs the previous stages have not committed yet) the batch is all of that run's
   * outputs, whatever this stage's batch size: they are committed together. A failure then stores
   * nothing of the run.
   */
  private void runGuarded(List<Entry> batch, FusedBatch pending) {
    try {
      process(batch, pending);
    } catch (StoreUnavailableException e) {
      log.warn(
          "route {} stage {}: store unavailable; {} entries wait for their lease to expire: {}",
          route.id(),
          spec.name(),
          batch.size(),
          e.getMessage());
    } catch (RuntimeException e) {
      log.error(
          "route {} stage {}: unexpected failure; {} entries wait for their lease to expire",
          route.id(),
          spec.name(),
          batch.size(),
          e);
    }
  }
}
