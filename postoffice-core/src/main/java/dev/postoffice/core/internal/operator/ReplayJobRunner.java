package dev.postoffice.core.internal.operator;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.operator.Operations;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through bulk replay jobs on this node: claims a running job whose lease is free or expired
 * (so a job outlives the node that started it), walks its filter newest first one keyset page at a
 * time, replays each entry through {@link Operations#replay(dev.postoffice.model.EntryId, String,
 * String)} (so each entry's history names who asked and the job), at most {@code replayRate}
 * entries per second, and records the cursor and counts after each page, which also extends its
 * lease and is where a cancel is seen.
 *
 * <p>Exactly once per entry: progress is recorded per page, so a node that dies mid-page leaves
 * entries replayed after the recorded cursor. The node that takes the job over reads the history of
 * that first page's entries and passes over those the job already replayed (counting them). An
 * entry such a node replayed and that left the filter since (it was worked on meanwhile) is not on
 * that page: it is replayed once, but missing from the job's {@code replayed} count.
 *
 * <p>A cancel is seen before each page (the job is read again), so at most the page in hand is
 * replayed after it.
 *
 * <p>One worker thread per node ({@link #start()}), or {@link #step()} under manual scheduling.
 */
public final class ReplayJobRunner {
  private static final Logger log = LoggerFactory.getLogger(ReplayJobRunner.class);
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final EngineContext ctx;
  private final StatusStore store;
  private final Operations operations;
  private final OperatorSettings settings;
  private volatile Boolean supported; // null until the store answered
  private final Object wake = new Object();

  private ReplayJob job; // the job this node holds, as last recorded; null when none
  private boolean checkHistory; // the next page may hold entries a crashed owner replayed
  private long replayed;
  private long skipped;
  private long nextSlot;
  private volatile boolean running;
  private boolean failing; // the worker thread's last page failed
  private volatile Thread thread;

  /**
   * Creates the runner of one engine.
   *
   * @param ctx the engine's context
   * @param operations the engine's operations, through which entries are replayed
   * @param settings the rate and lease
   */
  public ReplayJobRunner(EngineContext ctx, Operations operations, OperatorSettings settings) {
    this.ctx = ctx;
    this.store = ctx.store();
    this.operations = operations;
    this.settings = settings;
  }

  /**
   * Starts the worker thread (not under manual scheduling); it idles if the store has no replay
   * jobs.
   */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "postoffice-replay-jobs-" + ctx.nodeId());
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Stops the worker thread, waiting until a deadline, and hands the job back at once (its lease
   * made to expire now) so another node goes on without waiting for the lease.
   *
   * @param deadlineNanos the {@link System#nanoTime()} to give up at
   * @return true if the thread ended in time
   */
  public boolean stop(long deadlineNanos) {
    running = false;
    Thread t = thread;
    if (t == null) {
      return true;
    }
    synchronized (wake) {
      wake.notifyAll();
    }
    try {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      t.interrupt();
      return false;
    }
    handBack();
    return true;
  }

  /**
   * Does one page of work: claims a job if this node holds none, then replays one page of it. Under
   * manual scheduling, without pacing.
   *
   * @return how many entries were replayed or passed over; 0 if there was nothing to do
   */
  public synchronized int step() {
    return supported() ? page(false) : 0;
  }

  private void loop() {
    while (running && !Boolean.FALSE.equals(supported)) { // a store without jobs: nothing to do
      int done;
      try {
        synchronized (this) {
          done = page(true);
        }
        failing = false;
      } catch (RuntimeException e) {
        // Once per outage at warn: a store that is down would otherwise log every second.
        if (failing) {
          log.debug("replay jobs: {}; trying again in a second", e.toString());
        } else {
          log.warn("replay jobs: {}; trying again every second", e.toString());
          failing = true;
        }
        done = 0;
      }
      if (done == 0 && running) {
        synchronized (wake) {
          try {
            TimeUnit.NANOSECONDS.timedWait(wake, IDLE_NANOS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    }
  }

  /**
   * Asks the store once whether it keeps replay jobs; a store that cannot answer now is asked
   * again.
   */
  private boolean supported() {
    Boolean known = supported;
    if (known == null) {
      try {
        known = store.capabilities().operatorApi();
        supported = known;
      } catch (RuntimeException e) {
        return false;
      }
    }
    return known;
  }

  private int page(boolean paced) {
    if (!supported()) {
      return 0;
    }
    if (job == null && !claim()) {
      return 0;
    }
    if (!stillHeld()) {
      return 1;
    }
    ReplayJob current = job;
    EntryPage page = store.search(pageSearch(current));
    String marker = marker(current);
    long r = replayed;
    long s = skipped;
    int handled = 0;
    // Until this page's progress is recorded, a walk of it again (after a store error in its
    // middle,
    // or a stop) checks each entry's history: entries replayed here may be back in the filter by
    // then (a replay that failed again), and must not be replayed twice.
    boolean check = checkHistory;
    checkHistory = true;
    for (Entry e : page.entries()) {
      if (paced && !pace()) {
        return handled; // stopping: the page is walked again, with the history check
      }
      handled++;
      if (check && alreadyReplayed(e, marker)) {
        r++;
        continue;
      }
      try {
        operations.replay(e.id(), current.reason() + " " + marker, current.requestedBy());
        r++;
      } catch (IllegalStatusTransitionException | NoSuchEntryException gone) {
        s++; // no longer replayable (in flight, superseded) or purged meanwhile
      }
    }
    Instant now = ctx.clock().instant();
    String cursor = page.next().orElse(current.cursor());
    Optional<ReplayJob> recorded =
        store.recordReplayProgress(
            current.id(), ctx.nodeId(), cursor, r, s, settings.replayLease(), now);
    if (recorded.isEmpty()) {
      log.info(
          "replay job {}: cancelled or taken over; this node stops working on it", current.id());
      job = null;
      return Math.max(handled, 1);
    }
    job = recorded.get();
    replayed = r;
    skipped = s;
    checkHistory = false;
    if (page.next().isEmpty()) {
      String detail = r + " replayed, " + s + " skipped";
      store.finishReplayJob(current.id(), ctx.nodeId(), ReplayJob.State.DONE, detail, now);
      log.info("replay job {} done: {}", current.id(), detail);
      job = null;
    }
    return Math.max(handled, 1);
  }

  /**
   * Reads the held job again before a page, so a cancel is obeyed before any further entry is
   * replayed; drops it if it was cancelled or taken over.
   */
  private boolean stillHeld() {
    ReplayJob now = store.replayJob(job.id()).orElse(null);
    if (now == null || !now.isRunning() || !ctx.nodeId().equals(now.owner())) {
      log.info(
          "replay job {}: {}; this node stops working on it",
          job.id(),
          now == null ? "gone" : now.isRunning() ? "taken over by " + now.owner() : now.detail());
      job = null;
      return false;
    }
    return true;
  }

  private boolean claim() {
    Optional<ReplayJob> claimed =
        store.claimReplayJob(ctx.nodeId(), settings.replayLease(), ctx.clock().instant());
    if (claimed.isEmpty()) {
      return false;
    }
    job = claimed.get();
    replayed = job.replayed();
    skipped = job.skipped();
    // A node that held the job before may have replayed entries after the cursor and died before
    // recording them: the first page is checked against the entries' history.
    checkHistory = true;
    log.info(
        "replay job {} ({} of {} done) claimed by node {}, asked by {}",
        job.id(),
        job.replayed() + job.skipped(),
        job.total(),
        ctx.nodeId(),
        job.requestedBy());
    return true;
  }

  /**
   * The job's filter at its cursor; bounded to entries created before the job, so entries that
   * arrive while it runs (newer, so on its first page) are not replayed.
   */
  private EntrySearch pageSearch(ReplayJob j) {
    EntrySearch f = j.filter();
    Instant bound = j.createdAt().plusNanos(1);
    boolean fromBeforeBound = f.createdFrom() == null || f.createdFrom().isBefore(bound);
    if (fromBeforeBound && (f.createdTo() == null || f.createdTo().isAfter(bound))) {
      f =
          EntrySearch.builder()
              .route(f.route())
              .direction(f.direction())
              .layer(f.layer())
              .statuses(f.statuses())
              .createdFrom(f.createdFrom())
              .createdTo(bound)
              .errorContains(f.errorContains())
              .build();
    }
    return f.withLimit(settings.replayPage()).withAfter(j.cursor());
  }

  private static String marker(ReplayJob j) {
    return "(bulk replay " + j.id() + ")";
  }

  private boolean alreadyReplayed(Entry e, String marker) {
    for (HistoryRecord h : store.history(e.id())) {
      if (h.detail() != null && h.detail().contains(marker)) {
        return true;
      }
    }
    return false;
  }

  /** Waits for the next slot of the rate; false if the runner is stopping. */
  private boolean pace() {
    long interval = TimeUnit.SECONDS.toNanos(1) / settings.replayRate();
    long now = System.nanoTime();
    nextSlot = Math.max(nextSlot, now);
    long wait = nextSlot - now;
    nextSlot += interval;
    if (wait > 0) {
      synchronized (wake) {
        try {
          TimeUnit.NANOSECONDS.timedWait(wake, wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return running;
  }

  /** Makes the held job's lease expire now, keeping its last recorded progress. */
  private synchronized void handBack() {
    ReplayJob held = job;
    if (held == null) {
      return;
    }
    try {
      store.recordReplayProgress(
          held.id(),
          ctx.nodeId(),
          held.cursor(),
          held.replayed(),
          held.skipped(),
          Duration.ofNanos(1),
          ctx.clock().instant());
    } catch (RuntimeException e) {
      log.warn("replay job {}: could not hand it back; its lease expires on its own", held.id());
    }
    job = null;
  }
}
