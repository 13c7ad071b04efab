package dev.postoffice.core.internal;

import dev.postoffice.StoreUnavailableException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Coalesces concurrent calls of one operation on lists of items into fewer calls (group commit): at
 * most {@code maxCalls} calls run at once; a caller that finds a free one makes a call for
 * everything waiting, itself included; callers arriving while every call is taken wait and go
 * together in the next one. Nobody waits for a batch to fill, so a lone caller pays no delay, and
 * under load a database-backed store runs many callers' items per statement instead of each
 * caller's alone.
 *
 * <p>With {@code maxCalls} of 1 the calls run one after the other, and everything that arrived
 * during one goes in the next: the fewest calls. With 2, a caller need not wait for another's round
 * trip (statement, commit, fsync) to finish before its own starts, which is what few synchronous
 * callers spend most of their time on; under load both calls still carry everything that waited.
 *
 * <p>Every caller returns only once its own items are done (or with the exception that stopped
 * them), as if it had made the call alone. The operation must be safe to repeat for the same items:
 * when a combined call fails, each caller's items are run again on their own, so each caller gets
 * its own outcome.
 *
 * @param <T> an item
 * @param <R> an item's result
 */
public final class GroupCommit<T, R> {
  /**
   * The operation being coalesced.
   *
   * @param <T> an item
   * @param <R> an item's result
   */
  @FunctionalInterface
  public interface Operation<T, R> {
    /**
     * @param items the items @return one result per item, in the items' order
     */
    List<R> apply(List<T> items);
  }

  private final Operation<T, R> operation;
  private final int maxItems;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition finished = lock.newCondition();
  private final ArrayDeque<Pending<T, R>> waiting = new ArrayDeque<>();
  private final int maxCalls;
  private int running;

  private static final class Pending<T, R> {
    final List<T> items;
    List<R> results;
    RuntimeException failure;

    /** In a call (its own or another caller's): the caller only waits for it to be done. */
    boolean taken;

    boolean done;

    Pending(List<T> items) {
      this.items = items;
    }
  }

  /**
   * A group commit running one call at a time.
   *
   * @param operation the operation
   * @param maxItems the most items one combined call carries (a single caller's larger list goes
   *     alone)
   */
  public GroupCommit(Operation<T, R> operation, int maxItems) {
    this(operation, maxItems, 1);
  }

  /**
   * @param operation the operation
   * @param maxItems the most items one combined call carries (a single caller's larger list goes
   *     alone)
   * @param maxCalls the most calls running at once, at least 1
   */
  public GroupCommit(Operation<T, R> operation, int maxItems, int maxCalls) {
    if (maxCalls < 1) {
      throw new IllegalArgumentException("maxCalls must be at least 1, was " + maxCalls);
    }
    this.operation = operation;
    this.maxItems = maxItems;
    this.maxCalls = maxCalls;
  }

  /**
   * Runs the operation for these items, alone or with other callers'.
   *
   * @param items the items
   * @return their results, in order
   * @throws StoreUnavailableException if the thread is interrupted while it waits for a call
   */
  public List<R> run(List<T> items) {
    Pending<T, R> mine = new Pending<>(items);
    lock.lock();
    try {
      waiting.add(mine);
      while (!mine.done) {
        if (mine.taken || running >= maxCalls) {
          try {
            finished.await(); // it may be done already: the caller must not return before
          } catch (InterruptedException e) {
            if (mine.done) {
              Thread.currentThread().interrupt();
              break; // finished meanwhile: the caller gets its outcome after all
            }
            // Interrupted (a bounded stop): give up waiting. Items not taken yet are withdrawn;
            // items taken are
            // in a call whose outcome this caller will not learn, which the operation's idempotence
            // covers.
            Thread.currentThread().interrupt();
            boolean withdrawn = waiting.remove(mine);
            throw new StoreUnavailableException(
                "interrupted while waiting for the store call of "
                    + items.size()
                    + " item(s); "
                    + (withdrawn ? "nothing was written" : "their outcome is unknown"),
                e);
          }
          continue;
        }
        running++;
        List<Pending<T, R>> batch = take();
        lock.unlock();
        try {
          runTogether(batch);
        } finally {
          lock.lock();
          running--;
          finished.signalAll();
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

  /**
   * @return the number of callers waiting for the next call; for tests
   */
  public int waiting() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the waiting callers, oldest first, up to {@code maxItems} items (at least one caller).
   */
  private List<Pending<T, R>> take() {
    List<Pending<T, R>> batch = new ArrayList<>(Math.min(waiting.size(), 64));
    int count = 0;
    while (!waiting.isEmpty()) {
      Pending<T, R> next = waiting.peekFirst();
      if (!batch.isEmpty() && count + next.items.size() > maxItems) {
        break;
      }
      next.taken = true;
      batch.add(waiting.pollFirst());
      count += next.items.size();
    }
    return batch;
  }

  private void runTogether(List<Pending<T, R>> batch) {
    try {
      if (batch.size() == 1) {
        runAlone(batch.get(0));
        return;
      }
      List<T> all = new ArrayList<>();
      for (Pending<T, R> p : batch) {
        all.addAll(p.items);
      }
      List<R> results;
      try {
        results = operation.apply(all);
      } catch (RuntimeException e) {
        // One caller's items may be what failed it: give each caller its own outcome.
        for (Pending<T, R> p : batch) {
          runAlone(p);
        }
        return;
      }
      int at = 0;
      for (Pending<T, R> p : batch) {
        p.results = results.subList(at, at + p.items.size());
        at += p.items.size();
      }
    } finally {
      lock.lock();
      try {
        for (Pending<T, R> p : batch) {
          if (p.results == null && p.failure == null) {
            // The call ended with an Error, which the caller that made it rethrows.
            p.failure = new IllegalStateException("the combined call ended abnormally");
          }
          p.done = true;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  private void runAlone(Pending<T, R> p) {
    try {
      p.results = operation.apply(p.items);
    } catch (RuntimeException e) {
      p.failure = e;
    }
  }
}
