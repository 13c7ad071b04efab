package dev.postoffice.core.internal;

import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coalesces concurrent intake calls of one route into one store call (group commit): a caller that finds no
 * store call running makes one for everything waiting, itself included; callers arriving meanwhile wait and
 * are stored together by the next one. Nobody waits for a batch to fill, so a lone caller pays no delay, and
 * under load a database-backed route commits many messages per transaction instead of one each.
 *
 * <p>Every caller returns only once its own entries are stored (or with the exception that prevented it),
 * as if it had called the store alone: intake is idempotent by entry id, so when a combined call fails, each
 * caller's entries are stored again on their own and each caller gets its own outcome.
 */
final class IntakeBatcher {
  /** The most entries one combined store call carries. */
  static final int MAX_ENTRIES = 1_000;

  private final StatusStore store;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition stored = lock.newCondition();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  private boolean storing;

  private static final class Pending {
    final List<NewEntry> entries;
    List<IntakeResult> results;
    RuntimeException failure;
    boolean done;

    Pending(List<NewEntry> entries) {
      this.entries = entries;
    }
  }

  IntakeBatcher(StatusStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Stores the entries, alone or with other callers'; returns their results in order. */
  List<IntakeResult> intake(List<NewEntry> entries) {
    Pending mine = new Pending(entries);
    lock.lock();
    try {
      waiting.add(mine);
      while (!mine.done) {
        if (storing) {
          stored.awaitUninterruptibly(); // it may be stored already: intake must not return before
          continue;
        }
        storing = true;
        List<Pending> batch = take();
        lock.unlock();
        try {
          store(batch);
        } finally {
          lock.lock();
          storing = false;
          stored.signalAll();
        }
      }
    } finally {
      lock.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.results;
  }

  /** The number of callers waiting for the next store call; for tests. */
  int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /** Takes the waiting callers, oldest first, up to {@link #MAX_ENTRIES} entries (at least one caller). */
  private List<Pending> take() {
    List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), 64));
    int count = 0;
    while (!waiting.isEmpty()) {
      Pending next = waiting.peekFirst();
      if (!batch.isEmpty() && count + next.entries.size() > MAX_ENTRIES) {
        break;
      }
      batch.add(waiting.pollFirst());
      count += next.entries.size();
    }
    return batch;
  }

  private void store(List<Pending> batch) {
    try {
      if (batch.size() == 1) {
        storeAlone(batch.get(0));
        return;
      }
      List<NewEntry> all = new ArrayList<>();
      for (Pending p : batch) {
        all.addAll(p.entries);
      }
      List<IntakeResult> results;
      try {
        results = store.intake(all, clock.instant());
      } catch (RuntimeException e) {
        // One caller's entries may be what the store refused: give each caller its own outcome.
        for (Pending p : batch) {
          storeAlone(p);
        }
        return;
      }
      int at = 0;
      for (Pending p : batch) {
        p.results = results.subList(at, at + p.entries.size());
        at += p.entries.size();
      }
    } finally {
      lock.lock();
      try {
        for (Pending p : batch) {
          if (p.results == null && p.failure == null) {
            // The store call ended with an Error, which the caller that made it rethrows.
            p.failure = new IllegalStateException("intake failed: the store call ended abnormally");
          }
          p.done = true;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private void storeAlone(Pending p) {
    try {
      p.results = store.intake(p.entries, clock.instant());
    } catch (RuntimeException e) {
      p.failure = e;
    }
  }
}
