package dev.postoffice.sqs.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Groups items into batch calls of at most {@code maxCount} items and {@code maxBytes} bytes. A
 * full batch goes out at once; a partial one waits up to the linger for company. Batches run on an
 * executor, several at once. Thread-safe.
 *
 * @param <T> the item type
 */
public final class Batcher<T> {
  private final int maxCount;
  private final int maxBytes;
  private final int maxInFlight;
  private final ToIntFunction<T> size;
  private final Duration linger;
  private final ScheduledExecutorService scheduler;
  private final Executor executor;
  private final Consumer<List<T>> sink;
  private final ArrayDeque<T> pending = new ArrayDeque<>();
  private ScheduledFuture<?> timer;
  private int inFlight;
  private boolean closed;

  /**
   * Creates a batcher.
   *
   * @param maxCount the most items per batch
   * @param maxBytes the most bytes per batch (an item bigger than this still goes, alone)
   * @param maxInFlight the most batches running at once; 1 keeps the order of items (FIFO queues)
   * @param size the size of an item in bytes
   * @param linger how long a partial batch waits
   * @param scheduler runs the linger timers
   * @param executor runs the batches
   * @param sink sends one batch; it must handle its own failures
   */
  public Batcher(
      int maxCount,
      int maxBytes,
      int maxInFlight,
      ToIntFunction<T> size,
      Duration linger,
      ScheduledExecutorService scheduler,
      Executor executor,
      Consumer<List<T>> sink) {
    this.maxCount = maxCount;
    this.maxBytes = maxBytes;
    this.maxInFlight = maxInFlight;
    this.size = size;
    this.linger = linger;
    this.scheduler = scheduler;
    this.executor = executor;
    this.sink = sink;
  }

  /**
   * Adds an item; it goes out with the next full batch or when the linger has passed.
   *
   * @param item the item
   * @throws IllegalStateException if the batcher is closed
   */
  public synchronized void add(T item) {
    checkOpen();
    pending.add(item);
    dispatch(linger.isZero());
  }

  /**
   * Adds items and sends them at once, without lingering.
   *
   * @param items the items
   * @throws IllegalStateException if the batcher is closed
   */
  public synchronized void addAllAndFlush(List<T> items) {
    checkOpen();
    pending.addAll(items);
    dispatch(true);
  }

  /** Sends every pending item now. */
  public synchronized void flush() {
    dispatch(true);
  }

  /**
   * Refuses new items, sends the pending ones and waits for every batch in flight.
   *
   * @param timeout how long to wait
   * @return true if everything was sent in time
   */
  public synchronized boolean close(Duration timeout) {
    closed = true;
    dispatch(true);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the SQS transport is closed");
    }
  }

  private void dispatch(boolean all) {
    // When maxInFlight batches run, the rest waits; the batch that finishes sends it.
    while (!pending.isEmpty() && inFlight < maxInFlight) {
      int count = 0;
      int bytes = 0;
      Iterator<T> it = pending.iterator();
      boolean full = false;
      while (it.hasNext()) {
        int s = size.applyAsInt(it.next());
        if (count > 0 && bytes + s > maxBytes) {
          full = true;
          break;
        }
        count++;
        bytes += s;
        if (count == maxCount) {
          full = true;
          break;
        }
      }
      if (!full && !all) {
        break;
      }
      List<T> batch = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        batch.add(pending.poll());
      }
      submit(batch);
    }
    if (!pending.isEmpty() && timer == null && inFlight < maxInFlight) {
      timer = scheduler.schedule(this::lingerOver, linger.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private synchronized void lingerOver() {
    timer = null;
    dispatch(true);
  }

  private void submit(List<T> batch) {
    inFlight++;
    try {
      executor.execute(
          () -> {
            try {
              sink.accept(batch);
            } finally {
              synchronized (this) {
                inFlight--;
                notifyAll();
                if (!pending.isEmpty()) {
                  dispatch(true);
                }
              }
            }
          });
    } catch (RejectedExecutionException e) {
      // Only while the transport shuts down: send in this thread rather than drop the batch.
      inFlight--;
      sink.accept(batch);
    }
  }
}
